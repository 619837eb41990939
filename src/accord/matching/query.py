"""Query strings and form bodies: maps of name → ordered values (spec §3.3, §3.6.7).

V1 compares query strings as percent-decoded text (order and a trailing ``&`` count). From V1.1
on, a query is a map: expected names must be present, unexpected names fail, name order is free
and per name the values pair in order. A rule on a name applies to every actual value and frees
the value count.
"""

from collections.abc import Callable, Mapping
from urllib.parse import unquote, unquote_plus

from accord.matching.matchers import CompiledRules, evaluate
from accord.matching.mismatch import Mismatch, MismatchKind

ParamMap = dict[str, list[str | None]]


def parse_query_string(text: str) -> ParamMap:
    """``a=1&b=x+y&a=2&flag`` → ``{"a": ["1", "2"], "b": ["x y"], "flag": [""]}``."""
    params: ParamMap = {}
    for segment in text.split("&"):
        if not segment:
            continue
        name, _, value = segment.partition("=")
        params.setdefault(unquote_plus(name), []).append(unquote_plus(value))
    return params


def query_map(raw: object) -> ParamMap:
    """Read a query in any shape: a V1/V2 string, a V3+ map of (lists of) values, or the
    model's map of tuples of values."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        return parse_query_string(raw)
    if isinstance(raw, Mapping):
        params: ParamMap = {}
        for name, value in raw.items():
            items = value if isinstance(value, list | tuple) else [value]
            params[str(name)] = [None if v is None else str(v) for v in items]
        return params
    return {}


def v1_query_agrees(expected: object, actual: object) -> bool:
    """V1: the percent-decoded strings are equal (the V1 cases are order-sensitive)."""

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return unquote(value)
        return "&".join(f"{k}={v}" for k, vs in query_map(value).items() for v in vs)

    return text(expected) == text(actual)


def compare_params(
    expected: ParamMap,
    actual: ParamMap,
    rules: Mapping[str, CompiledRules],
    report: Callable[[Mismatch], None],
    *,
    kind: MismatchKind = "query",
    prefix: str = "$.query",
    noun: str = "query parameter",
) -> None:
    """Compare two parameter maps; ``rules`` are keyed by parameter name."""
    for name, expected_values in expected.items():
        where = f"{prefix}.{name}"
        if name not in actual:
            report(
                Mismatch(
                    kind,
                    where,
                    expected_values,
                    None,
                    f"Expected {noun} '{name}' but it was missing",
                )
            )
            continue
        actual_values = actual[name]
        rule = rules.get(name)
        if rule is not None and not rule.exact:
            template = expected_values[0] if expected_values else None
            for value in actual_values:
                for message in evaluate(rule, template, value, f"{noun} '{name}'", text=True):
                    report(Mismatch(kind, where, template, value, message))
            continue
        if expected_values != actual_values:
            if len(expected_values) != len(actual_values):
                message = (
                    f"Expected {noun} '{name}' to have {len(expected_values)} value(s) "
                    f"{expected_values} but got {len(actual_values)} {actual_values}"
                )
            else:
                message = (
                    f"Expected {noun} '{name}' to be {expected_values} but got {actual_values}"
                )
            report(Mismatch(kind, where, expected_values, actual_values, message))
    unexpected = [name for name in actual if name not in expected]
    for name in unexpected:
        report(
            Mismatch(
                kind,
                f"{prefix}.{name}",
                None,
                actual[name],
                f"Unexpected {noun} '{name}': the contract does not mention it",
            )
        )
