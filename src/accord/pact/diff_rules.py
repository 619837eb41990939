"""Matching rules and generators of two versions of one interaction part, compared by meaning.

A rule change is *tighter* (fewer values pass), *looser* (more values pass) or merely
*different* (a new regex or format: neither contains the other in general). Whether that asks
more of the provider depends on who produces the part: a tighter rule on a response the
provider returns asks more of it, while a looser rule on a request it receives asks more (it
must now accept values it was never verified with). :class:`PartSide` makes that choice once.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from accord.pact.model import Generator, Generators, Matcher, MatchingRules, RuleList
from accord.pact.paths import STAR, STAR_INDEX, PathToken, parse_path_expression


class Direction(Enum):
    """How a rule change moves the set of values that pass."""

    TIGHTER = "tighter"
    LOOSER = "looser"
    DIFFERENT = "different"


@dataclass(frozen=True, slots=True)
class PartSide:
    """One part of an interaction (``response``, ``request``, ``response[0]``…) and whether the
    provider produces it (responses, messages) or receives it (requests)."""

    name: str
    provider_produces: bool

    def asks_more(self, direction: Direction) -> bool:
        """Could a provider verified against the old rules fail this change?"""
        if direction is Direction.DIFFERENT:
            return True
        return (direction is Direction.TIGHTER) == self.provider_produces


@dataclass(frozen=True, slots=True)
class PartChange:
    """A change inside one part, before it is tied to its interaction."""

    asks_more: bool
    location: str
    message: str


def rule_changes(side: PartSide, old: MatchingRules, new: MatchingRules) -> Iterator[PartChange]:
    """Rules removed, added, tightened or loosened, category by category (body, header, query,
    path, status, metadata, content)."""
    for category in sorted(set(old) | set(new)):
        before, after = old.get(category, {}), new.get(category, {})
        for expression in sorted(set(before) | set(after)):
            where = f" at {expression}" if expression else ""
            location = f"{side.name}.matchingRules.{category}" + _keyed(expression)
            was, now = before.get(expression), after.get(expression)
            if now is None:
                message = f"the rule{where} was removed (exact value now)"
                yield PartChange(side.asks_more(Direction.TIGHTER), location, message)
            elif was is None:
                message = f"a rule{where} was added (looser than an exact value)"
                yield PartChange(side.asks_more(Direction.LOOSER), location, message)
            else:
                for direction, text in _rule_list_changes(was, now):
                    message = f"the rule{where} {text}"
                    yield PartChange(side.asks_more(direction), location, message)


def _rule_list_changes(old: RuleList, new: RuleList) -> Iterator[tuple[Direction, str]]:
    if old.combine != new.combine:
        looser = new.combine == "OR"
        yield (
            Direction.LOOSER if looser else Direction.TIGHTER,
            f"now combines its matchers with {new.combine} (was {old.combine})",
        )
    old_by_kind = {m.kind: m for m in old.matchers}
    new_by_kind = {m.kind: m for m in new.matchers}
    for kind, matcher in new_by_kind.items():
        before = old_by_kind.get(kind)
        if before is None:
            yield Direction.TIGHTER, f"now also requires {kind}"
        else:
            yield from _matcher_changes(before, matcher)
    for kind in old_by_kind:
        if kind not in new_by_kind:
            yield Direction.LOOSER, f"no longer requires {kind}"


def _matcher_changes(old: Matcher, new: Matcher) -> Iterator[tuple[Direction, str]]:
    low_old, low_new = _size(old, "min"), _size(new, "min")
    if low_old != low_new:
        if low_new is not None and (low_old is None or low_new > low_old):
            yield Direction.TIGHTER, f"now requires at least {low_new} items"
        else:
            yield Direction.LOOSER, f"now requires at least {low_new or 0} items (was {low_old})"
    high_old, high_new = _size(old, "max"), _size(new, "max")
    if high_old != high_new:
        if high_new is not None and (high_old is None or high_new < high_old):
            yield Direction.TIGHTER, f"now allows at most {high_new} items"
        else:
            limit = "any number of" if high_new is None else f"at most {high_new}"
            yield Direction.LOOSER, f"now allows {limit} items (was at most {high_old})"
    for key in sorted((set(old.params) | set(new.params)) - {"min", "max"}):
        was, now = old.params.get(key), new.params.get(key)
        if was != now:
            yield Direction.DIFFERENT, f"changed its {key} from {was!r} to {now!r}"


def _size(matcher: Matcher, key: str) -> int | None:
    value = matcher.params.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def generator_changes(side: PartSide, old: Generators, new: Generators) -> Iterator[PartChange]:
    """Generators added, removed or changed. On a part the provider receives, a generator
    changes the values it is sent (asks more); on a part it produces, generators only shape
    the consumer's mock answers, so they ask nothing more of the provider."""
    for category in sorted(set(old) | set(new)):
        before, after = old.get(category, {}), new.get(category, {})
        for key in sorted(set(before) | set(after)):
            location = f"{side.name}.generators.{category}" + _keyed(key)
            where = f" at {key}" if key else ""
            was, now = before.get(key), after.get(key)
            if was == now:
                continue
            if was is None:
                message = f"a {_describe(now)} generator{where} was added"
            elif now is None:
                message = f"the {_describe(was)} generator{where} was removed"
            else:
                message = f"the generator{where} changed from {_describe(was)} to {_describe(now)}"
            yield PartChange(not side.provider_produces, location, message)


def _keyed(key: str) -> str:
    """``['$.a']`` after a category, or nothing for the keyless ``path``/``status`` ones."""
    return f"['{key}']" if key else ""


def _describe(generator: Generator | None) -> str:
    if generator is None:
        return "no"
    params = ", ".join(f"{k}={v!r}" for k, v in sorted(generator.params.items()))
    return f"{generator.kind}({params})" if params else generator.kind


def matcher_at(rules: Mapping[str, RuleList], path: tuple[PathToken, ...]) -> RuleList | None:
    """The rules of the most specific expression that covers ``path`` or one of its parents
    (a ``type`` rule on an object covers its fields), or ``None`` when the value is exact."""
    best: tuple[int, RuleList] | None = None
    for expression, rule_list in rules.items():
        try:
            tokens = parse_path_expression(expression)
        except ValueError:
            continue
        covers = len(tokens) <= len(path) and all(
            _covers(t, p) for t, p in zip(tokens, path, strict=False)
        )
        if covers and (best is None or len(tokens) > best[0]):
            best = (len(tokens), rule_list)
    return None if best is None else best[1]


def _covers(token: PathToken, step: PathToken) -> bool:
    if token == STAR:
        return isinstance(step, str)
    if token == STAR_INDEX:
        return isinstance(step, int)
    return token == step


def allows_other_values(rule_list: RuleList | None) -> bool:
    """Does a rule let another value than the example pass (anything but ``equality``)?"""
    return rule_list is not None and any(m.kind != "equality" for m in rule_list.matchers)


def short(value: Any) -> str:
    """A value as a change message quotes it: JSON-ish and at most 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
