"""XML bodies compared under matching rules (spec §3.6.6).

Paths name elements without indices (every ``<alligator>`` under ``<animals>`` sits at
``$.animals.alligator``), attributes as ``@name`` and text as ``#text``. Elements compare by
namespace URI and local name; children are grouped by name, order between names is free and
within a name they pair in order. Requests reject unexpected attributes and children, responses
allow them, except a child name nobody expected under a type rule.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import replace

from accord.matching.json_body import BodyContext
from accord.matching.locations import Label, describe
from accord.matching.matchers import CompiledRules, evaluate
from accord.matching.selection import ConcretePath


def parse_xml(text: str) -> ET.Element:
    """Parse a document, refusing entity declarations (the billion-laughs family)."""
    if "<!ENTITY" in text.upper():
        raise ValueError("XML entity declarations are not accepted")
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(str(exc)) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def _qualified(tag: str) -> str:
    """``{urn:x}name`` shown the way a reader knows it."""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return f"{local} (namespace {uri})"
    return tag


def _text_of(element: ET.Element) -> str:
    pieces: Iterable[str | None] = (element.text, *(child.tail for child in element))
    return "".join(p.strip() for p in pieces if p and p.strip())


def _group(children: Iterable[ET.Element]) -> dict[str, list[ET.Element]]:
    groups: dict[str, list[ET.Element]] = {}
    for child in children:
        groups.setdefault(child.tag, []).append(child)
    return groups


def compare_xml(ctx: BodyContext, expected: ET.Element, actual: ET.Element) -> None:
    """Compare two parsed documents from their root elements."""
    if expected.tag != actual.tag:
        ctx.report(
            ("$", _local(expected.tag)),
            _qualified(expected.tag),
            _qualified(actual.tag),
            f"Expected the root element <{_qualified(expected.tag)}> "
            f"but got <{_qualified(actual.tag)}>",
        )
        return
    _compare_element(ctx, ("$", _local(expected.tag)), expected, actual)


def _rules_at(ctx: BodyContext, path: ConcretePath) -> CompiledRules | None:
    rules = ctx.rules.select(path) if ctx.rules else None
    return None if rules is None or rules.exact else rules


def _compare_text(ctx: BodyContext, path: ConcretePath, expected: str, actual: str) -> None:
    rules = _rules_at(ctx, path)
    if rules is None:
        if expected != actual:
            ctx.report(
                path,
                expected,
                actual,
                f"Expected {describe(path)} to equal {expected!r} but got {actual!r}",
            )
        return
    for message in evaluate(rules, expected, actual, Label(path), text=True):
        ctx.report(path, expected, actual, message)


def _check_repeats(
    ctx: BodyContext,
    path: ConcretePath,
    rules: CompiledRules,
    *,
    tag: str,
    parent: ConcretePath,
    count: int,
) -> CompiledRules:
    """Judge how often a repeated element occurs; return its rules without min/max.

    Clients write ``min``/``max`` on the repeated element (pact-js ``eachLike('user', ...,
    {min: 2})`` gives ``$.users.user``), so they count the ``<user>`` siblings, not each
    user's children. An element the rules cover that is absent fails unless ``min`` is 0.
    """
    sized = [c for c in rules.checks if c.min is not None or c.max is not None]
    low = min((c.min for c in sized if c.min is not None), default=None)
    high = max((c.max for c in sized if c.max is not None), default=None)
    where = f"<{_qualified(tag)}> element(s) in {describe(parent)}"
    if count == 0 and low is None:
        ctx.report(path, 1, 0, f"Expected at least 1 {where} but found none")
    elif low is not None and count < low:
        ctx.report(path, low, count, f"Expected at least {low} {where} but found {count}")
    elif high is not None and count > high:
        ctx.report(path, high, count, f"Expected at most {high} {where} but found {count}")
    if not sized:
        return rules
    unsized = tuple(
        replace(c, min=None, max=None) if c.min is not None or c.max is not None else c
        for c in rules.checks
    )
    return replace(rules, checks=unsized)


def _compare_element(
    ctx: BodyContext,
    path: ConcretePath,
    expected: ET.Element,
    actual: ET.Element,
    rules: CompiledRules | None = None,
) -> None:
    """Compare one element; ``rules`` are passed for repeated elements (already counted)."""
    counted = rules is not None
    if rules is None:
        rules = _rules_at(ctx, path)
    expected_text = _text_of(expected)
    actual_text = _text_of(actual)
    if rules is not None:
        # Value rules read the element's text (pact-jvm); type rules compare names (equal
        # here); min/max on the root count its child elements (spec cases).
        size = None if counted else len(actual)
        for message in evaluate(
            rules, expected_text, actual_text, Label(path), text=True, size=size
        ):
            ctx.report(path, expected_text, actual_text, message)
    _compare_attributes(ctx, path, expected, actual)
    if expected_text or actual_text:
        _compare_text(ctx, (*path, "#text"), expected_text, actual_text)
    _compare_children(ctx, path, expected, actual)


def _compare_attributes(
    ctx: BodyContext, path: ConcretePath, expected: ET.Element, actual: ET.Element
) -> None:
    for name, expected_value in expected.attrib.items():
        child = (*path, "@" + _local(name))
        if name not in actual.attrib:
            ctx.report(
                child,
                expected_value,
                None,
                f"Expected attribute '{_local(name)}' on {describe(path)} but it was missing",
            )
        else:
            _compare_text(ctx, child, expected_value, actual.attrib[name])
    if ctx.strict_keys:
        extra = [_local(n) for n in actual.attrib if n not in expected.attrib]
        if extra:
            ctx.report(
                path,
                None,
                extra,
                f"Unexpected attribute(s) {', '.join(extra)} on {describe(path)}",
            )


def _compare_children(
    ctx: BodyContext, path: ConcretePath, expected: ET.Element, actual: ET.Element
) -> None:
    expected_groups = _group(expected)
    actual_groups = _group(actual)
    for tag, expected_kids in expected_groups.items():
        actual_kids = actual_groups.get(tag, [])
        child_path = (*path, _local(tag))
        rules = _rules_at(ctx, child_path)
        if rules is not None:
            member_rules = _check_repeats(
                ctx, child_path, rules, tag=tag, parent=path, count=len(actual_kids)
            )
            first = expected_kids[0]
            for index, actual_kid in enumerate(actual_kids):
                template = expected_kids[index] if index < len(expected_kids) else first
                _compare_element(ctx, child_path, template, actual_kid, member_rules)
            continue
        for expected_kid, actual_kid in zip(expected_kids, actual_kids, strict=False):
            _compare_element(ctx, child_path, expected_kid, actual_kid)
        if len(actual_kids) < len(expected_kids) or (
            len(actual_kids) > len(expected_kids) and ctx.strict_keys
        ):
            ctx.report(
                child_path,
                len(expected_kids),
                len(actual_kids),
                f"Expected {len(expected_kids)} <{_qualified(tag)}> element(s) in "
                f"{describe(path)} but found {len(actual_kids)}",
            )
    for tag, actual_kids in actual_groups.items():
        if tag in expected_groups:
            continue
        child_path = (*path, _local(tag))
        if ctx.strict_keys or _rules_at(ctx, child_path) is not None:
            ctx.report(
                child_path,
                None,
                len(actual_kids),
                f"Unexpected element <{_qualified(tag)}> in {describe(path)}",
            )
