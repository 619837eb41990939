"""One generated value per generator kind (spec §4.2), given the example it replaces.

Each function returns the new value, or raises :class:`GenerationError` when the generator
cannot produce one (an unknown provider-state key, a bad regex); the caller then keeps the
example, as the reference does.

``Date``, ``Time`` and ``DateTime`` generators count from a *base moment*: now, unless the
provider-state context sets ``baseDate``, ``baseTime`` or ``baseDateTime`` (the reference's
keys), so a provider can pin "today" to a fixed day and the generated values stay stable.
"""

import random
import re
import string
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from accord.errors import DateExpressionError, GeneratorBaseError, PactRegexError
from accord.matching.base_moments import base_moment
from accord.matching.date_expressions import ExpressionKind, evaluate
from accord.matching.date_formatting import format_java
from accord.matching.regex_generation import generate_matching
from accord.pact.model import Generator
from accord.pact.regex import compile_pact_regex

_ALPHANUMERIC: Final = string.ascii_letters + string.digits
_PLACEHOLDER: Final = re.compile(r"\$\{([^}]*)\}")
_DEFAULT_FORMATS: Final[Mapping[str, str]] = {
    "Date": "yyyy-MM-dd",
    "Time": "HH:mm:ss",
    "DateTime": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
}
_EXPRESSION_KINDS: Final[Mapping[str, ExpressionKind]] = {
    "Date": "Date",
    "Time": "Time",
    "DateTime": "DateTime",
}


class GenerationError(Exception):
    """A generator could not produce a value; the example stays."""


def _int_param(generator: Generator, name: str, default: int) -> int:
    value = generator.params.get(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise GenerationError(f"{generator.kind}.{name} is not a number: {value!r}") from None


def evaluate_date_expression(
    expression: str, now: datetime, *, kind: ExpressionKind = "DateTime"
) -> datetime:
    """The moment a V4 date/time ``expression`` names relative to ``now`` (spec §4.5), read as
    the ``kind`` of generator reads it (a ``Time`` expression without ``@`` is a time part)."""
    try:
        return evaluate(expression, now, kind)
    except DateExpressionError as exc:
        raise GenerationError(str(exc)) from exc


def _lookup(expression: str, context: Mapping[str, Any]) -> Any:
    state = context.get("providerState")
    scope = state if isinstance(state, Mapping) else context
    placeholders = _PLACEHOLDER.findall(expression)
    if not placeholders:
        if expression not in scope:
            raise GenerationError(f"no provider-state value named {expression!r}")
        return scope[expression]
    whole = _PLACEHOLDER.fullmatch(expression)
    if whole is not None:
        key = whole.group(1)
        if key not in scope:
            raise GenerationError(f"no provider-state value named {key!r}")
        return scope[key]

    def replace(found: re.Match[str]) -> str:
        key = found.group(1)
        if key not in scope:
            raise GenerationError(f"no provider-state value named {key!r}")
        value = scope[key]
        return value if isinstance(value, str) else str(value)

    return _PLACEHOLDER.sub(replace, expression)


def _mock_server_url(context: Mapping[str, Any]) -> Any:
    """The mock server's base URL: ``mockServer.href`` (the reference's key), else
    ``mockServer.url``, else a flat ``mockServerURL``."""
    server = context.get("mockServer")
    if isinstance(server, Mapping):
        return server.get("href", server.get("url"))
    return context.get("mockServerURL")


def _convert(value: Any, data_type: object) -> Any:
    try:
        if data_type == "STRING":
            return value if isinstance(value, str) else str(value)
        if data_type == "INTEGER":
            return int(value)
        if data_type in ("DECIMAL", "FLOAT"):
            return float(value)
        if data_type == "BOOLEAN":
            return value if isinstance(value, bool) else str(value).lower() == "true"
    except (TypeError, ValueError):
        raise GenerationError(f"cannot convert {value!r} to {data_type}") from None
    return value


def generate(
    generator: Generator,
    example: Any,
    *,
    context: Mapping[str, Any],
    text: bool,
    rng: random.Random,
    now: datetime | None = None,
) -> Any:
    """A new value for ``example``; ``text`` marks headers, query and path (strings only)."""
    kind = generator.kind
    as_string = text or isinstance(example, str)
    if kind == "RandomInt":
        low, high = _int_param(generator, "min", 0), _int_param(generator, "max", 10)
        number = rng.randint(min(low, high), max(low, high))
        return str(number) if as_string else number
    if kind == "RandomDecimal":
        digits = max(_int_param(generator, "digits", 10), 2)
        raw = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(digits - 1))
        point = rng.randint(1, digits - 1)
        decimal = f"{raw[:point]}.{raw[point:]}"
        return decimal if as_string else float(decimal)
    if kind == "RandomHexadecimal":
        return "".join(
            rng.choice("0123456789ABCDEF") for _ in range(_int_param(generator, "digits", 10))
        )
    if kind == "RandomString":
        return "".join(rng.choice(_ALPHANUMERIC) for _ in range(_int_param(generator, "size", 10)))
    if kind == "RandomBoolean":
        # a JSON boolean even where the example was a string, as the reference generates it
        flag = rng.random() < 0.5
        return ("true" if flag else "false") if text else flag
    if kind == "Regex":
        try:
            return generate_matching(str(generator.params.get("regex", "")), rng)
        except (re.error, PactRegexError) as exc:
            raise GenerationError(f"invalid regex: {exc}") from None
    if kind == "Uuid":
        value = uuid.UUID(int=rng.getrandbits(128), version=4)
        fmt = generator.params.get("format", "lower-case-hyphenated")
        if fmt == "simple":
            return value.hex
        if fmt == "upper-case-hyphenated":
            return str(value).upper()
        if fmt == "URN":
            return value.urn
        return str(value)
    if kind in _DEFAULT_FORMATS:
        expression_kind = _EXPRESSION_KINDS[kind]
        try:
            moment = base_moment(expression_kind, context, now or datetime.now(UTC).astimezone())
        except GeneratorBaseError as exc:
            raise GenerationError(str(exc)) from exc
        expression = generator.params.get("expression")
        if isinstance(expression, str) and expression.strip():
            moment = evaluate_date_expression(expression, moment, kind=expression_kind)
        fmt = generator.params.get("format") or _DEFAULT_FORMATS[kind]
        return format_java(moment, str(fmt))
    if kind == "ProviderState":
        value = _lookup(str(generator.params.get("expression", "")), context)
        value = _convert(value, generator.params.get("dataType"))
        return str(value) if text and not isinstance(value, str) else value
    if kind == "MockServerURL":
        base = _mock_server_url(context)
        if not isinstance(base, str):
            raise GenerationError("no mock server URL in the context (mockServer.href)")
        example_text = str(generator.params.get("example", example))
        try:
            found = compile_pact_regex(str(generator.params.get("regex", ""))).search(example_text)
        except PactRegexError as exc:
            raise GenerationError(str(exc)) from None
        if found is None or not found.groups():
            raise GenerationError("the MockServerURL regex does not match its example")
        tail = found.group(1) or ""
        return example_text[: found.start()] + base.rstrip("/") + tail + example_text[found.end() :]
    raise GenerationError(f"unknown generator {kind!r}")
