"""The one implementation of generators (spec §4), over the values a part may have replaced.

``accord.matching.generators`` fills a :class:`Slots` record from a part of the pact model or
from pact JSON, runs :func:`run_generators` over it and reads the values back: so the verifier
and the stub (the model) and ``apply_generators`` (pact JSON) cannot drift apart.
"""

import random
from collections.abc import Callable, Mapping
from typing import Any, Literal

from accord.matching.generated_values import GenerationError, generate
from accord.pact.model import Generator, Generators
from accord.pact.rules import STAR, STAR_INDEX, PathToken, parse_path_expression

Mode = Literal["provider", "consumer"]
OnSkip = Callable[[str], None]
Make = Callable[..., Any]
_MODE_ONLY = {"ProviderState": "provider", "MockServerURL": "consumer"}
_SINGLE_VALUE_CATEGORIES = frozenset({"path", "method", "status"})
BODY_CATEGORIES = frozenset({"body", "content"})
#: a slot the part does not have (``None`` is a value: a V2 ``"query": null``, a null body)
MISSING: Any = object()


class _WrongModeError(GenerationError):
    """A generator meant for the other side: skipping it is expected, not worth reporting."""


class Slots:
    """The values of one part that generators may replace, in their pact-JSON shapes.

    ``headers`` and ``query`` map a name to a string or a list of values; ``body`` is the body
    as pact JSON carries it (a JSON value, text, Base64 of binary); :data:`MISSING` marks a
    slot the part does not have. The pact-JSON and model entry points fill one in and read it
    back.
    """

    __slots__ = ("body", "headers", "metadata", "method", "path", "query", "status")

    def __init__(self) -> None:
        self.method: Any = MISSING
        self.path: Any = MISSING
        self.status: Any = MISSING
        self.headers: Any = MISSING
        self.query: Any = MISSING
        self.body: Any = MISSING
        self.metadata: Any = MISSING


def describe_skip(category: str, key: str, generator: Generator, reason: Exception) -> str:
    """One sentence on a generator that produced nothing, e.g. ``body $.id: the ProviderState
    generator could not produce a value (no provider-state value named 'id'), so the example
    value was kept``."""
    where = category if category in _SINGLE_VALUE_CATEGORIES or not key else f"{category} {key}"
    return (
        f"{where}: the {generator.kind} generator could not produce a value ({reason}), "
        "so the example value was kept"
    )


def run_generators(
    slots: Slots,
    generators: Generators,
    *,
    mode: Mode,
    context: Mapping[str, Any] | None,
    rng: random.Random | None,
    on_skip: OnSkip | None,
) -> None:
    """Run every generator over ``slots``, replacing the values in place."""
    values = context or {}
    chooser = rng or random.Random()

    def make(generator: Generator, example: Any, *, text: bool) -> Any:
        required = _MODE_ONLY.get(generator.kind)
        if required is not None and required != mode:
            raise _WrongModeError(f"{generator.kind} only runs in {required} mode")
        return generate(generator, example, context=values, text=text, rng=chooser)

    for category, entries in generators.items():
        for key, generator in entries.items():
            try:
                _apply_one(slots, category, key, generator, make)
            except _WrongModeError:
                continue
            except GenerationError as exc:
                if on_skip is not None:
                    on_skip(describe_skip(category, key, generator, exc))


def _apply_one(slots: Slots, category: str, key: str, generator: Generator, make: Make) -> None:
    if category == "path":
        if slots.path is not MISSING:
            slots.path = make(generator, slots.path, text=True)
    elif category == "method":
        if slots.method is not MISSING:
            slots.method = make(generator, slots.method, text=True)
    elif category == "status":
        example = 200 if slots.status is MISSING else slots.status
        new = make(generator, example, text=False)
        slots.status = int(new) if isinstance(new, str) and new.isdigit() else new
    elif category == "header":
        _apply_header(slots, key, generator, make)
    elif category == "query":
        _apply_query(slots, key, generator, make)
    elif category == "metadata":
        if slots.metadata is MISSING:
            slots.metadata = {}
        if isinstance(slots.metadata, dict):
            slots.metadata[key] = make(generator, slots.metadata.get(key), text=False)
    elif category in BODY_CATEGORIES:
        _apply_body(slots, key, generator, make)


def _apply_header(slots: Slots, name: str, generator: Generator, make: Make) -> None:
    if slots.headers is MISSING:
        slots.headers = {}
    headers = slots.headers
    if not isinstance(headers, dict):
        return
    existing = next((k for k in headers if str(k).lower() == name.lower()), None)
    old = headers.get(existing) if existing is not None else None
    example = old[0] if isinstance(old, list) and old else old
    value = make(generator, example, text=True)
    headers[existing or name] = [value] if isinstance(old, list) else value


def _apply_query(slots: Slots, name: str, generator: Generator, make: Make) -> None:
    query = slots.query
    if isinstance(query, str) or query is None:
        return  # V2 query strings carry no generators
    if query is MISSING:
        query = slots.query = {}
    if not isinstance(query, dict):
        return
    old = query.get(name)
    if isinstance(old, list) and old:
        query[name] = [make(generator, v, text=True) for v in old]
    else:
        value = make(generator, old, text=True)
        query[name] = [value] if isinstance(old, list) or old is None else value


def _apply_body(slots: Slots, path: str, generator: Generator, make: Make) -> None:
    if slots.body is MISSING:
        return
    try:
        tokens = parse_path_expression(path)
    except ValueError:
        return
    holder = [slots.body]
    try:
        _replace(holder, 0, tokens[1:], generator, make)
    finally:
        slots.body = holder[0]


def _replace(
    container: Any, slot: Any, tokens: tuple[PathToken, ...], generator: Generator, make: Make
) -> None:
    value = container[slot]
    if not tokens:
        container[slot] = make(generator, value, text=False)
        return
    token, rest = tokens[0], tokens[1:]
    if isinstance(value, dict):
        if token == STAR:
            keys: list[Any] = list(value)
        elif isinstance(token, str) and token != STAR_INDEX and token in value:
            keys = [token]
        else:
            keys = []
    elif isinstance(value, list):
        if token in (STAR, STAR_INDEX):
            keys = list(range(len(value)))
        elif isinstance(token, int) and token < len(value):
            keys = [token]
        elif isinstance(token, str) and token.isdigit() and int(token) < len(value):
            keys = [int(token)]
        else:
            keys = []
    else:
        keys = []
    # one element that cannot be generated does not stop the others; the first reason is
    # passed on so the caller can report the generator once
    failure: GenerationError | None = None
    for key in keys:
        try:
            _replace(value, key, rest, generator, make)
        except GenerationError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
