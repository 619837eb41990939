"""JSON bodies compared under matching rules (spec §3.6.3-3.6.5).

Objects: the expected keys must be present; requests also reject unexpected keys (responses and
messages allow them). Arrays without a rule compare item by item with equal lengths; under a rule
the expected list is padded with its first item, so it serves as a template for any number of
actual items. ``values``/``eachKey``/``eachValue``/``arrayContains`` change how children pair up.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from accord.matching.locations import Label, describe, render
from accord.matching.matchers import (
    Check,
    CompiledRules,
    check_value,
    compile_checks,
    evaluate,
    json_equal,
    json_kind,
)
from accord.matching.mismatch import Mismatch, MismatchKind, show
from accord.matching.selection import ROOT_PATH, ConcretePath, RuleIndex
from accord.pact.model import Matcher, RuleList
from accord.pact.rules import parse_matching_rules


@dataclass(slots=True)
class BodyContext:
    """What one body comparison needs: its rules, its key policy and where to report."""

    rules: RuleIndex
    strict_keys: bool
    prefix: str = "$.body"
    kind: MismatchKind = "body"
    mismatches: list[Mismatch] = field(default_factory=list)

    def report(self, path: ConcretePath, expected: Any, actual: Any, message: str) -> None:
        self.mismatches.append(
            Mismatch(self.kind, render(self.prefix, path), expected, actual, message)
        )


def compare_json(ctx: BodyContext, expected: Any, actual: Any) -> None:
    """Compare two parsed JSON documents, appending every mismatch to ``ctx``."""
    _compare(ctx, ROOT_PATH, expected, actual, None)


def _compare(
    ctx: BodyContext,
    path: ConcretePath,
    expected: Any,
    actual: Any,
    override: CompiledRules | None,
) -> None:
    rules = override if override is not None else ctx.rules.select(path)
    if rules is not None and rules.exact:
        rules = None  # equality switches a subtree back to exact comparison
    kind_e = type(expected)
    if kind_e is dict and type(actual) is dict:
        _compare_objects(ctx, path, expected, actual, rules)
    elif kind_e is list and type(actual) is list:
        _compare_arrays(ctx, path, expected, actual, rules)
    elif rules is None:
        if (kind_e is not type(actual) or expected != actual) and not json_equal(expected, actual):
            ctx.report(path, expected, actual, _difference(path, expected, actual))
    else:
        for message in evaluate(rules, expected, actual, Label(path)):
            ctx.report(path, expected, actual, message)


def _difference(path: ConcretePath, expected: Any, actual: Any) -> str:
    what = describe(path)
    kind_e, kind_a = json_kind(expected), json_kind(actual)
    if kind_e != kind_a:
        return (
            f"Expected {what} to be {show(expected)} ({kind_e}) but got {show(actual)} ({kind_a})"
        )
    return f"Expected {what} to equal {show(expected)} but got {show(actual)}"


_MISSING: Any = object()


def _compare_objects(
    ctx: BodyContext,
    path: ConcretePath,
    expected: dict[str, Any],
    actual: dict[str, Any],
    rules: CompiledRules | None,
) -> None:
    if rules is not None:
        for message in evaluate(rules, expected, actual, Label(path)):
            ctx.report(path, expected, actual, message)
        if rules.structural and not rules.cascaded:
            _compare_entries_loosely(ctx, path, expected, actual, rules)
            return
    for key, expected_value in expected.items():
        child = (*path, key)
        if key in actual:
            _compare(ctx, child, expected_value, actual[key], None)
        else:
            ctx.report(
                child,
                expected_value,
                None,
                f"Expected key '{key}' in {describe(path)} but it was missing",
            )
    if ctx.strict_keys and (len(actual) > len(expected) or actual.keys() != expected.keys()):
        extra = [k for k in actual if k not in expected]
        if extra:
            names = ", ".join(f"'{k}'" for k in extra)
            ctx.report(
                path,
                None,
                {k: actual[k] for k in extra},
                f"Unexpected key(s) {names} in {describe(path)}: a request may not send keys "
                "the contract does not mention",
            )


def _compare_entries_loosely(
    ctx: BodyContext,
    path: ConcretePath,
    expected: dict[str, Any],
    actual: dict[str, Any],
    rules: CompiledRules,
) -> None:
    """``values``/``eachKey``/``eachValue``: keys are free; each actual value meets the expected
    value of its key, else the first expected value (the template)."""
    if rules.each_key is not None:
        for key in actual:
            for check in rules.each_key.nested:
                failure = check_value(check, None, key, f"key '{key}'", text=True)
                if failure is not None:
                    ctx.report((*path, key), None, key, failure)
        if not rules.values and rules.each_value is None:
            # eachKey alone frees the keys but not the values: as in the reference, only
            # values under keys both sides have are compared (no template for new keys).
            for key, expected_value in expected.items():
                if key in actual:
                    _compare(ctx, (*path, key), expected_value, actual[key], None)
            return
    value_rules = compile_checks(rules.each_value.nested) if rules.each_value else None
    scope = ctx if rules.each_value is None else _each_value_scope(ctx, path, rules.each_value)
    template = next(iter(expected.values()), _MISSING)
    for key, actual_value in actual.items():
        child = (*path, key)
        expected_value = expected.get(key, template)
        if expected_value is _MISSING:
            if value_rules is not None:
                for message in evaluate(value_rules, actual_value, actual_value, Label(child)):
                    ctx.report(child, None, actual_value, message)
            continue
        _compare(scope, child, expected_value, actual_value, value_rules if scope is ctx else None)


def _each_value_scope(ctx: BodyContext, path: ConcretePath, check: Check) -> BodyContext:
    """The context for the values under an ``eachValue``: its nested rules govern every value
    and cascade into it (``{"match": "type"}`` makes a value's members match by type, as in the
    reference); rules written for deeper paths still win by weight. Mismatches go to ``ctx``."""
    matchers = tuple(
        Matcher(str(r.get("match", "type")), {k: v for k, v in r.items() if k != "match"})
        for r in check.params.get("rules", [])
        if isinstance(r, dict)
    )
    if not matchers:
        return ctx
    expression = render("$", path) + ".*"
    index = ctx.rules.extended({expression: RuleList(matchers)})
    return BodyContext(index, ctx.strict_keys, ctx.prefix, ctx.kind, ctx.mismatches)


def _compare_arrays(
    ctx: BodyContext,
    path: ConcretePath,
    expected: list[Any],
    actual: list[Any],
    rules: CompiledRules | None,
) -> None:
    if rules is None:
        if len(expected) != len(actual):
            ctx.report(
                path,
                expected,
                actual,
                f"Expected {describe(path)} to have {len(expected)} item(s) "
                f"but it has {len(actual)}",
            )
        for index, (expected_item, actual_item) in enumerate(zip(expected, actual, strict=False)):
            _compare(ctx, (*path, index), expected_item, actual_item, None)
        return
    for message in evaluate(rules, expected, actual, Label(path)):
        ctx.report(path, expected, actual, message)
    if not rules.cascaded and rules.array_contains is not None:
        _array_contains(ctx, path, expected, actual, rules.array_contains)
        return
    if not rules.cascaded and rules.each_value is not None:
        value_rules = compile_checks(rules.each_value.nested)
        scope = _each_value_scope(ctx, path, rules.each_value)
        for index, actual_item in enumerate(actual):
            template = expected[0] if expected else actual_item
            _compare(
                scope, (*path, index), template, actual_item, value_rules if scope is ctx else None
            )
        return
    if not expected:
        return  # nothing to use as a template (the reference accepts any items here)
    first = expected[0]
    for index, actual_item in enumerate(actual):
        template = expected[index] if index < len(expected) else first
        _compare(ctx, (*path, index), template, actual_item, None)


@lru_cache(maxsize=512)
def _variant_index(rules_json: str) -> RuleIndex:
    rules = parse_matching_rules({"body": json.loads(rules_json)}, spec="V4")
    return RuleIndex(rules.get("body", {}))


def _array_contains(
    ctx: BodyContext,
    path: ConcretePath,
    expected: list[Any],
    actual: list[Any],
    check: Check,
) -> None:
    """Each variant must be matched by some actual item; order, extras and length are free."""
    variants = check.params.get("variants") or [
        {"index": i, "rules": {}} for i in range(len(expected))
    ]
    for position, variant in enumerate(variants):
        index = variant.get("index", position)
        if not isinstance(index, int) or not 0 <= index < len(expected):
            ctx.report(
                path,
                expected,
                actual,
                f"arrayContains variant {position} names item {index}, which the expected "
                f"array of {len(expected)} item(s) does not have",
            )
            continue
        template = expected[index]
        index_rules = _variant_index(json.dumps(variant.get("rules", {}), sort_keys=True))
        for actual_item in actual:
            probe = BodyContext(index_rules, ctx.strict_keys, ctx.prefix, ctx.kind)
            _compare(probe, ROOT_PATH, template, actual_item, None)
            if not probe.mismatches:
                break
        else:
            ctx.report(
                path,
                template,
                actual,
                f"Expected {describe(path)} to contain an item matching variant {index} "
                f"{show(template)} but none did",
            )
