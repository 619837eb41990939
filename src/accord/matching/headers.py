"""HTTP headers and message metadata compared as the official cases demand (spec §3.4).

Names are case-insensitive, values case-sensitive, extra headers allowed. List-valued headers
(``Accept``, ``Cache-Control``, ...) split at commas and compare item by item in order; other
values compare as one string with the spaces around commas ignored. ``Content-Type`` and
``Accept`` compare their media type exactly and their parameters loosely.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from accord.matching.matchers import CompiledRules, compile_rules, evaluate, json_equal
from accord.matching.mismatch import Mismatch, show
from accord.pact.model import RuleList

SPLIT_HEADERS: Final = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "access-control-allow-headers",
        "access-control-allow-methods",
        "access-control-expose-headers",
        "access-control-request-headers",
        "allow",
        "cache-control",
        "if-match",
        "if-none-match",
        "vary",
    }
)
_MEDIA_HEADERS: Final = frozenset({"content-type", "accept"})
_COMMA_SPACES: Final = re.compile(r"\s*,\s*")

HeaderTable = dict[str, tuple[str, list[str]]]
"""lower-case name -> (name as written, values)."""


def header_table(raw: object) -> HeaderTable:
    """Read headers: pact JSON (``name -> "a, b"`` in V1-V3, ``name -> ["a"]`` in V4), the
    model's ``name -> ("a",)`` or the values an actual request or response carried."""
    table: HeaderTable = {}
    if not isinstance(raw, Mapping):
        return table
    for name, value in raw.items():
        key = str(name).lower()
        items = value if isinstance(value, list | tuple) else [value]
        values: list[str] = []
        for item in items:
            text = "" if item is None else str(item)
            if key in SPLIT_HEADERS:
                values.extend(part.strip() for part in text.split(","))
            else:
                values.append(text.strip())
        if key in table:
            table[key][1].extend(values)
        else:
            table[key] = (str(name), values)
    return table


def first_value(table: HeaderTable, name: str) -> str | None:
    entry = table.get(name.lower())
    return entry[1][0] if entry and entry[1] else None


def media_type(value: str | None) -> str | None:
    """``application/json; charset=UTF-8`` → ``application/json`` (lower-cased)."""
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _parameters(value: str) -> tuple[str, dict[str, str]]:
    head, *params = value.split(";")
    parsed: dict[str, str] = {}
    for param in params:
        name, _, val = param.partition("=")
        parsed[name.strip().lower()] = val.strip().strip('"').lower()
    return head.strip(), parsed


def media_types_agree(expected: str, actual: str) -> bool:
    """Same media type (exact); every expected parameter present with an equal value."""
    expected_type, expected_params = _parameters(expected)
    actual_type, actual_params = _parameters(actual)
    if expected_type != actual_type:
        return False
    return all(actual_params.get(k) == v for k, v in expected_params.items())


def compile_named_rules(
    rules: Mapping[str, RuleList], *, fold_case: bool
) -> dict[str, CompiledRules]:
    compiled: dict[str, CompiledRules] = {}
    for name, rule_list in rules.items():
        rule = compile_rules(rule_list)
        if rule is not None:
            compiled[name.lower() if fold_case else name] = rule
    return compiled


def compare_headers(
    expected_raw: object,
    actual_raw: object,
    rules: Mapping[str, CompiledRules],
    report: Callable[[Mismatch], None],
) -> None:
    """Check every expected header; ``rules`` are keyed by lower-case header name."""
    expected = header_table(expected_raw)
    if expected:
        compare_header_tables(expected, header_table(actual_raw), rules, report)


def compare_header_tables(
    expected: HeaderTable,
    actual: HeaderTable,
    rules: Mapping[str, CompiledRules],
    report: Callable[[Mismatch], None],
) -> None:
    """:func:`compare_headers` on headers already read with :func:`header_table`."""
    for key, (name, expected_values) in expected.items():
        where = f"$.headers.{name}"
        found = actual.get(key)
        if found is None:
            report(
                Mismatch(
                    "header",
                    where,
                    ", ".join(expected_values),
                    None,
                    f"Expected header '{name}' but it was missing",
                )
            )
            continue
        actual_values = found[1]
        rule = rules.get(key)
        if rule is not None and not rule.exact:
            template = expected_values[0] if expected_values else ""
            for value in actual_values:
                for message in evaluate(rule, template, value, f"header '{name}'", text=True):
                    report(Mismatch("header", where, template, value, message))
            continue
        if not _values_agree(key, expected_values, actual_values):
            shown_e, shown_a = ", ".join(expected_values), ", ".join(actual_values)
            report(
                Mismatch(
                    "header",
                    where,
                    shown_e,
                    shown_a,
                    f"Expected header '{name}' to be {shown_e!r} but got {shown_a!r}",
                )
            )


def _values_agree(key: str, expected: list[str], actual: list[str]) -> bool:
    if key not in SPLIT_HEADERS:
        expected = [_COMMA_SPACES.sub(",", v) for v in expected]
        actual = [_COMMA_SPACES.sub(",", v) for v in actual]
        if len(expected) != len(actual):
            expected, actual = [",".join(expected)], [",".join(actual)]
    if len(expected) != len(actual):
        return False
    if key in _MEDIA_HEADERS:
        return all(media_types_agree(e, a) for e, a in zip(expected, actual, strict=True))
    return expected == actual


def compare_metadata(
    expected: Mapping[str, Any],
    actual: Mapping[str, Any],
    rules: Mapping[str, CompiledRules],
    report: Callable[[Mismatch], None],
) -> None:
    """Message metadata: only expected keys count; ``contentType`` compares like the header."""
    for key, expected_value in expected.items():
        where = f"$.metadata.{key}"
        if key not in actual:
            report(
                Mismatch(
                    "metadata",
                    where,
                    expected_value,
                    None,
                    f"Expected metadata '{key}' but it was missing",
                )
            )
            continue
        actual_value = actual[key]
        rule = rules.get(key)
        if rule is not None and not rule.exact:
            for message in evaluate(rule, expected_value, actual_value, f"metadata '{key}'"):
                report(Mismatch("metadata", where, expected_value, actual_value, message))
        elif key.lower() in ("contenttype", "content-type"):
            if not media_types_agree(str(expected_value), str(actual_value)):
                report(
                    Mismatch(
                        "metadata",
                        where,
                        expected_value,
                        actual_value,
                        f"Expected metadata '{key}' to be {show(expected_value)} "
                        f"but got {show(actual_value)}",
                    )
                )
        elif not json_equal(expected_value, actual_value) and str(expected_value) != str(
            actual_value
        ):
            report(
                Mismatch(
                    "metadata",
                    where,
                    expected_value,
                    actual_value,
                    f"Expected metadata '{key}' to be {show(expected_value)} "
                    f"but got {show(actual_value)}",
                )
            )
