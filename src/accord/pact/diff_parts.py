"""The parts of an interaction compared by meaning: bodies field by field, headers, query
parameters and message metadata entry by entry, then their matching rules and generators.

The same walk serves a request, a response, a message's contents and each part of a V4
synchronous message; :class:`~accord.pact.diff_rules.PartSide` says whether the provider
produces the part (a field it no longer has to return asks less) or receives it (any change
in what it is sent asks more: it was never verified with that request).
"""

from collections.abc import Iterator, Mapping
from typing import Any

from accord.pact.diff_rules import (
    PartChange,
    PartSide,
    allows_other_values,
    generator_changes,
    matcher_at,
    rule_changes,
    short,
)
from accord.pact.model import (
    Body,
    BodyKind,
    HttpRequest,
    HttpResponse,
    MatchingRules,
    MessageContents,
    RuleList,
)
from accord.pact.paths import PathToken

_EMPTY_RULES: Mapping[str, RuleList] = {}


def request_changes(side: PartSide, old: HttpRequest, new: HttpRequest) -> Iterator[PartChange]:
    """Method and path, query parameters, headers, body, rules and generators of a request."""
    was = f"{old.method.upper()} {old.path}"
    now = f"{new.method.upper()} {new.path}"
    if was != now:
        yield PartChange(True, side.name, f"the request changed from {was} to {now}")
    yield from entry_changes(side, "query", old.query, new.query, noun="query parameter", owner=new)
    yield from entry_changes(side, "headers", old.headers, new.headers, noun="header", owner=new)
    yield from body_changes(side, "body", old.body, new.body, new.matching_rules)
    yield from rule_changes(side, old.matching_rules, new.matching_rules)
    yield from generator_changes(side, old.generators, new.generators)


def response_changes(side: PartSide, old: HttpResponse, new: HttpResponse) -> Iterator[PartChange]:
    """Status, headers, body, rules and generators of a response."""
    if old.status != new.status:
        message = f"the expected status changed from {old.status} to {new.status}"
        yield PartChange(True, f"{side.name}.status", message)
    yield from entry_changes(side, "headers", old.headers, new.headers, noun="header", owner=new)
    yield from body_changes(side, "body", old.body, new.body, new.matching_rules)
    yield from rule_changes(side, old.matching_rules, new.matching_rules)
    yield from generator_changes(side, old.generators, new.generators)


def message_changes(
    side: PartSide, old: MessageContents, new: MessageContents
) -> Iterator[PartChange]:
    """Contents, metadata, rules and generators of a message (or a V4 synchronous part)."""
    rules = new.matching_rules
    yield from body_changes(side, "contents", old.contents, new.contents, rules)
    yield from entry_changes(
        side, "metadata", old.metadata, new.metadata, noun="metadata entry", owner=new
    )
    yield from rule_changes(side, old.matching_rules, new.matching_rules)
    yield from generator_changes(side, old.generators, new.generators)


def _verbs(side: PartSide) -> tuple[str, str]:
    return (
        ("now expected", "no longer expected")
        if side.provider_produces
        else ("now sent", "no longer sent")
    )


def entry_changes(
    side: PartSide,
    part: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    noun: str,
    owner: HttpRequest | HttpResponse | MessageContents,
) -> Iterator[PartChange]:
    """Headers (case-insensitive), query parameters or metadata entries added, removed or
    given another value. A changed value the provider produces asks nothing more when a rule
    lets other values pass (the header, query or metadata rule of that name)."""
    fold = part == "headers"
    before = {(k.lower() if fold else k): (k, v) for k, v in old.items()}
    after = {(k.lower() if fold else k): (k, v) for k, v in new.items()}
    added, removed = _verbs(side)
    category = {"headers": "header", "query": "query", "metadata": "metadata"}[part]
    rules = owner.matching_rules.get(category, _EMPTY_RULES)
    for key in sorted(set(before) | set(after)):
        name = (after.get(key) or before[key])[0]
        location = f"{side.name}.{part}.{name}"
        if key not in before:
            yield PartChange(True, location, f"{side.name} {noun} {name!r} {added}")
        elif key not in after:
            message = f"{side.name} {noun} {name!r} {removed}"
            yield PartChange(not side.provider_produces, location, message)
        elif before[key][1] != after[key][1]:
            was, now = short(_plain(before[key][1])), short(_plain(after[key][1]))
            message = f"{side.name} {noun} {name!r} changed from {was} to {now}"
            matched = allows_other_values(_named_rule(rules, name, fold))
            if side.provider_produces and matched:
                yield PartChange(False, location, message + " (a matching rule accepts both)")
            else:
                yield PartChange(True, location, message)


def _plain(value: Any) -> Any:
    """A header or query value as written: one value rather than a one-item tuple."""
    if isinstance(value, tuple) and len(value) == 1:
        return value[0]
    return list(value) if isinstance(value, tuple) else value


def _named_rule(rules: Mapping[str, RuleList], name: str, fold: bool) -> RuleList | None:
    for key, rule_list in rules.items():
        if (
            key == name
            or (fold and key.lower() == name.lower())
            or key in (f"$.{name}", f"$['{name}']")
        ):
            return rule_list
    return None


def body_changes(
    side: PartSide, part: str, old: Body, new: Body, rules: MatchingRules
) -> Iterator[PartChange]:
    """A body's presence and content type, then its fields (JSON) or its text as a whole."""
    location = f"{side.name}.{part}"
    if old.content_type != new.content_type and old.kind is BodyKind.PRESENT:
        message = f"the {part} content type changed from {old.content_type} to {new.content_type}"
        yield PartChange(True, location, message)
    was = old.value if old.kind is BodyKind.PRESENT else None
    now = new.value if new.kind is BodyKind.PRESENT else None
    if was is None and now is None:
        return
    if was is None:
        verb = "expected" if side.provider_produces else "sent"
        yield PartChange(True, location, f"a {side.name} {part} is now {verb}")
        return
    if now is None:
        verb = "expected" if side.provider_produces else "sent"
        message = f"the {side.name} {part} is no longer {verb}"
        yield PartChange(not side.provider_produces, location, message)
        return
    body_rules = rules.get("body" if part == "body" else "content", _EMPTY_RULES)
    if part == "contents" and not body_rules:
        body_rules = rules.get("body", _EMPTY_RULES)
    for path, asks_more, message in _field_changes(side, body_rules, was, now, ("$",)):
        yield PartChange(asks_more, location + _dotted(path), message)


def _dotted(path: tuple[PathToken, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[1:])


def _field_changes(
    side: PartSide,
    rules: Mapping[str, RuleList],
    old: Any,
    new: Any,
    path: tuple[PathToken, ...],
) -> Iterator[tuple[tuple[PathToken, ...], bool, str]]:
    added, removed = _verbs(side)
    here = _dotted(path)[1:] or "the body"
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old:
            if key not in new:
                where = _dotted((*path, key))[1:]
                yield (*path, key), not side.provider_produces, f"field {where} {removed}"
        for key in new:
            if key not in old:
                yield (*path, key), True, f"field {_dotted((*path, key))[1:]} {added}"
            else:
                yield from _field_changes(side, rules, old[key], new[key], (*path, key))
    elif isinstance(old, list) and isinstance(new, list):
        for index, (was, now) in enumerate(zip(old, new, strict=False)):
            yield from _field_changes(side, rules, was, now, (*path, index))
        if len(old) != len(new):
            message = f"{here} now has {len(new)} items (was {len(old)})"
            sized = allows_other_values(matcher_at(rules, path))
            yield path, not (side.provider_produces and sized), message
    elif _kind(old) != _kind(new):
        yield path, True, f"{here} changed from {_kind(old)} to {_kind(new)}"
    elif old != new:
        message = f"{here} changed from {short(old)} to {short(new)}"
        if side.provider_produces and allows_other_values(matcher_at(rules, path)):
            yield path, False, message + " (a matching rule accepts both)"
        else:
            yield path, True, message


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else "null"
