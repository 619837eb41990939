"""The matchers of the specification, compiled once and applied to single values.

A :class:`~accord.pact.model.RuleList` from the pact is compiled into :class:`CompiledRules`
(regexes and date patterns prepared, ``min``/``max`` read) the first time the engine meets it, so
matching a value is a few attribute reads and one call. The structural matchers (``values``,
``eachKey``, ``eachValue``, ``arrayContains``) only mark the rules here; the body comparers act on
them because they change how children are paired, not how one value is judged.
"""

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from accord.errors import PactRegexError
from accord.matching.mismatch import show
from accord.pact.model import Matcher, RuleList

if TYPE_CHECKING:  # the regex (re2) and date engines load with the first rule that needs them
    from accord.matching.datetimes import DatePattern
    from accord.pact.regex import PactRegex

STRUCTURAL: Final = frozenset({"values", "eachKey", "eachValue", "arrayContains"})
_SCALAR_ONLY: Final = frozenset(
    {
        "regex",
        "include",
        "integer",
        "decimal",
        "number",
        "boolean",
        "date",
        "time",
        "timestamp",
        "semver",
        "contentType",
        "statusCode",
    }
)
_DEFAULT_FORMATS: Final[Mapping[str, str]] = {
    "date": "yyyy-MM-dd",
    "time": "HH:mm:ss",
    "timestamp": "yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX",
}
_SEMVER: Final = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
_INTEGER_TEXT: Final = re.compile(r"[+-]?\d+")
_STATUS_CLASSES: Final[Mapping[str, tuple[int, int]]] = {
    "info": (100, 199),
    "success": (200, 299),
    "redirect": (300, 399),
    "clientError": (400, 499),
    "serverError": (500, 599),
    "nonError": (100, 399),
    "error": (400, 599),
}
_KIND_OF_TYPE: Final[Mapping[type, str]] = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def json_kind(value: object) -> str:
    """The JSON kind of a parsed value; booleans are not numbers, all numbers are one kind."""
    kind = _KIND_OF_TYPE.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def json_equal(expected: object, actual: object) -> bool:
    """Equality of JSON values where the kind counts: ``1 != 1.0``, ``true != 1``."""
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, dict):
        assert isinstance(actual, dict)
        return expected.keys() == actual.keys() and all(
            json_equal(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list):
        assert isinstance(actual, list)
        return len(expected) == len(actual) and all(
            json_equal(e, a) for e, a in zip(expected, actual, strict=True)
        )
    return expected == actual


def string_form(value: object) -> str:
    """What regex, include and date matchers see: strings as is, other values as JSON text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return json.dumps(value)


@dataclass(frozen=True, slots=True)
class Check:
    """One compiled matcher. ``problem`` explains why it can never pass (bad regex, unknown)."""

    kind: str
    params: Mapping[str, Any]
    pattern: "PactRegex | None" = None
    date: "DatePattern | None" = None
    min: int | None = None
    max: int | None = None
    nested: tuple["Check", ...] = ()
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class CompiledRules:
    """The matchers that govern one value, ready to run.

    ``cascaded`` rules were written at an ancestor: they lose ``min``/``max`` and the structural
    matchers (spec §2.4). ``exact`` means only ``equality``, which behaves like no rule at all.
    """

    checks: tuple[Check, ...]
    combine: str = "AND"
    cascaded: bool = False
    exact: bool = False
    each_key: Check | None = None
    each_value: Check | None = None
    values: bool = False
    array_contains: Check | None = None
    structural: bool = field(default=False)


def compile_matcher(matcher: Matcher) -> Check:
    kind = matcher.kind
    params = matcher.params
    size_min = params.get("min")
    size_max = params.get("max")
    low = size_min if isinstance(size_min, int) else None
    high = size_max if isinstance(size_max, int) else None
    if kind == "regex":
        from accord.pact.regex import compile_pact_regex

        # a regex that cannot run makes every value mismatch, with the reason: never a pass
        try:
            pattern = compile_pact_regex(str(params.get("regex")))
        except PactRegexError as exc:
            return Check(kind, params, problem=str(exc))
        return Check(kind, params, pattern=pattern, min=low, max=high)
    if kind in _DEFAULT_FORMATS:
        from accord.matching.datetimes import compile_date_pattern

        fmt = params.get("format") or _DEFAULT_FORMATS[kind]
        try:
            return Check(kind, params, date=compile_date_pattern(str(fmt)))
        except (ValueError, re.error) as exc:
            return Check(kind, params, problem=f"the {kind} format {fmt!r} is not valid ({exc})")
    if kind in ("eachKey", "eachValue"):
        nested = tuple(
            compile_matcher(
                Matcher(str(r.get("match", "type")), {k: v for k, v in r.items() if k != "match"})
            )
            for r in params.get("rules", [])
            if isinstance(r, dict)
        )
        return Check(kind, params, nested=nested)
    known = _SCALAR_ONLY | STRUCTURAL | {"equality", "type", "null", "notEmpty"}
    if kind not in known:
        return Check(kind, params, problem=f"the matcher {kind!r} is not supported by accord")
    return Check(kind, params, min=low, max=high)


def compile_rules(rules: RuleList, *, cascaded: bool = False) -> CompiledRules | None:
    """Compile a rule list as it applies at its own path or, ``cascaded``, below it."""
    checks = []
    for matcher in rules.matchers:
        check = compile_matcher(matcher)
        if cascaded:
            if check.kind in STRUCTURAL:
                continue
            if check.min is not None or check.max is not None:
                check = Check(
                    check.kind,
                    check.params,
                    check.pattern,
                    check.date,
                    nested=check.nested,
                    problem=check.problem,
                )
        checks.append(check)
    if not checks:
        return None
    kinds = {c.kind for c in checks}
    return CompiledRules(
        checks=tuple(checks),
        combine=rules.combine,
        cascaded=cascaded,
        exact=kinds == {"equality"},
        each_key=next((c for c in checks if c.kind == "eachKey"), None),
        each_value=next((c for c in checks if c.kind == "eachValue"), None),
        values="values" in kinds,
        array_contains=next((c for c in checks if c.kind == "arrayContains"), None),
        structural=bool(kinds & STRUCTURAL),
    )


def compile_checks(checks: tuple[Check, ...]) -> CompiledRules:
    """Rules made of nested checks (``eachKey``/``eachValue`` ``rules``): all must pass."""
    return CompiledRules(checks=checks, exact={c.kind for c in checks} == {"equality"})


def evaluate(
    rules: CompiledRules,
    expected: object,
    actual: object,
    what: object,
    *,
    text: bool = False,
    size: int | None = None,
) -> list[str]:
    """Run every check; return the failure messages that ``combine`` lets through.

    ``text`` marks string contexts (headers, query, path, XML text and attributes), where
    ``integer`` and friends read the text. ``size`` overrides the size ``min``/``max`` see (XML
    elements count their children).
    """
    failures: list[str] = []
    for check in rules.checks:
        failure = check_value(check, expected, actual, what, text=text, size=size)
        if failure is None:
            if rules.combine == "OR":
                return []
        else:
            failures.append(failure)
    return failures


def check_value(
    check: Check,
    expected: object,
    actual: object,
    what: object,
    *,
    text: bool = False,
    size: int | None = None,
) -> str | None:
    """Judge one value by one matcher: ``None`` when it passes, else the message."""
    kind = check.kind
    if kind == "type" and type(expected) is type(actual):  # the common case, kept fast
        if check.min is None and check.max is None:
            return None
        return _check_size(check, actual, what, size)
    if check.problem is not None:
        return f"Cannot check {what}: {check.problem}"
    container = isinstance(actual, list | dict)
    if container and kind in _SCALAR_ONLY and isinstance(expected, list | dict):
        return None  # the rule reached a container: its items carry the comparison
    if kind == "equality":
        if json_equal(expected, actual):
            return None
        return f"Expected {what} to equal {show(expected)} but got {show(actual)}"
    if kind == "type" or kind in STRUCTURAL:
        if kind != "type" and not container:
            return None
        if json_kind(expected) != json_kind(actual) and not (text and kind == "type"):
            return (
                f"Expected {what} to be the same type as {show(expected)} "
                f"({json_kind(expected)}) but got {show(actual)} ({json_kind(actual)})"
            )
        return _check_size(check, actual, what, size)
    if kind == "regex":
        assert check.pattern is not None
        if check.pattern.fullmatch(string_form(actual)):
            return None
        return (
            f"Expected {what} to match regex {check.params.get('regex')!r} but got {show(actual)}"
        )
    if kind == "include":
        needle = string_form(check.params.get("value", ""))
        if needle in string_form(actual):
            return None
        return f"Expected {what} to include {needle!r} but got {show(actual)}"
    if kind == "integer":
        ok = (isinstance(actual, int) and not isinstance(actual, bool)) or (
            isinstance(actual, str) and text and _INTEGER_TEXT.fullmatch(actual) is not None
        )
        return None if ok else f"Expected {what} to be an integer but got {show(actual)}"
    if kind == "decimal":
        ok = isinstance(actual, float) or (isinstance(actual, str) and text and _is_float(actual))
        return None if ok else f"Expected {what} to be a decimal number but got {show(actual)}"
    if kind == "number":
        ok = (isinstance(actual, int | float) and not isinstance(actual, bool)) or (
            isinstance(actual, str) and text and _is_float(actual)
        )
        return None if ok else f"Expected {what} to be a number but got {show(actual)}"
    if kind == "null":
        return (
            None
            if actual is None and not text
            else f"Expected {what} to be null but got {show(actual)}"
        )
    if kind == "boolean":
        ok = isinstance(actual, bool) or actual in ("true", "false")
        return None if ok else f"Expected {what} to be a boolean but got {show(actual)}"
    if kind in _DEFAULT_FORMATS:
        assert check.date is not None
        if actual is not None and check.date.accepts(string_form(actual)):
            return None
        return (
            f"Expected {what} to be a {kind} in the format {check.date.pattern!r} "
            f"but got {show(actual)}"
        )
    if kind == "notEmpty":
        if actual is None or actual in ("", b"") or (container and not actual):
            return f"Expected {what} not to be empty but got {show(actual)}"
        if not text and expected is not None and json_kind(expected) != json_kind(actual):
            # notEmpty keeps the type of the example, as a type matcher does (V4 suite)
            return (
                f"Expected {what} to be the same type as {show(expected)} "
                f"({json_kind(expected)}) but got {show(actual)} ({json_kind(actual)})"
            )
        return None
    if kind == "semver":
        if isinstance(actual, str) and _SEMVER.fullmatch(actual) is not None:
            return None
        return f"Expected {what} to be a semantic version (like 1.2.3) but got {show(actual)}"
    if kind == "contentType":
        wanted = str(check.params.get("value", ""))
        found = sniff_content_type(actual)
        if found.split(";")[0].strip().lower() == wanted.split(";", maxsplit=1)[0].strip().lower():
            return None
        return f"Expected {what} to have content type {wanted!r} but it looks like {found!r}"
    if kind == "statusCode":
        return check_status_class(check.params.get("status", "success"), actual, what)
    return f"Cannot check {what}: the matcher {kind!r} is not supported by accord"


def _check_size(check: Check, actual: object, what: object, size: int | None) -> str | None:
    if check.min is None and check.max is None:
        return None
    if size is None:
        if not isinstance(actual, list | dict):
            return None
        size = len(actual)
    if check.min is not None and size < check.min:
        return f"Expected {what} to have at least {check.min} item(s) but it has {size}"
    if check.max is not None and size > check.max:
        return f"Expected {what} to have at most {check.max} item(s) but it has {size}"
    return None


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip().lower() not in ("nan", "inf", "-inf", "+inf", "infinity")


def check_status_class(status: object, actual: object, what: object) -> str | None:
    """The V4 ``statusCode`` matcher: a named class or an explicit list of codes."""
    if not isinstance(actual, int) or isinstance(actual, bool):
        return f"Expected {what} to be an HTTP status code but got {show(actual)}"
    if isinstance(status, list):
        if actual in status:
            return None
        return f"Expected {what} to be one of {status} but got {actual}"
    bounds = _STATUS_CLASSES.get(str(status))
    if bounds is None:
        return f"Cannot check {what}: unknown status class {status!r}"
    if bounds[0] <= actual <= bounds[1]:
        return None
    return f"Expected {what} to be a {status} status ({bounds[0]}-{bounds[1]}) but got {actual}"


_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"RIFF", "audio/wav"),
    (b"BM", "image/bmp"),
)


def sniff_content_type(value: object) -> str:
    """Guess a media type from magic numbers (for ``contentType`` rules and untyped bodies)."""
    if isinstance(value, str):
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            data = value.encode("utf-8")
    elif isinstance(value, bytes):
        data = value
    else:
        return "application/json"
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    stripped = data.lstrip()
    if stripped[:5].lower() == b"<?xml" or stripped[:1] == b"<":
        lowered = stripped[:15].lower()
        if lowered.startswith((b"<!doctype html", b"<html")):
            return "text/html"
        return "application/xml"
    if stripped[:1] in (b"{", b"["):
        return "application/json"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"
