"""What changed between two versions of a consumer's pact, and whether the new one asks more.

Interactions are paired by description and provider states (the identity the Pact Broker uses
for an interaction). A change *asks more* of the provider when a provider that satisfied the
old pact could fail the new one: a new interaction, a changed request or status, a response
field or header the consumer now expects, a matching rule removed or tightened (a ``type``
rule becoming an exact value, a larger ``min``, a different ``regex``).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from accord.pact.model import (
    AnyInteraction,
    BodyKind,
    Matcher,
    Pact,
    RuleList,
    SynchronousHttp,
)


@dataclass(frozen=True, slots=True)
class PactChange:
    """One difference. ``asks_more``: the new pact needs something the old one did not."""

    asks_more: bool
    interaction: str
    location: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "asksMore": self.asks_more,
            "interaction": self.interaction,
            "location": self.location,
            "message": self.message,
        }


def _identity(interaction: AnyInteraction) -> tuple[str, tuple[str, ...]]:
    return interaction.description, tuple(sorted(s.name for s in interaction.provider_states))


def diff_pacts(old: Pact, new: Pact) -> list[PactChange]:
    """Every change from ``old`` to ``new``; those that ask more of the provider first."""
    before = {_identity(i): i for i in old.interactions}
    after = {_identity(i): i for i in new.interactions}
    changes: list[PactChange] = []
    for key in before:
        if key not in after:
            changes.append(PactChange(False, key[0], "interaction", "the interaction was removed"))
    for key, interaction in after.items():
        previous = before.get(key)
        if previous is None:
            changes.append(PactChange(True, key[0], "interaction", "the interaction was added"))
        elif isinstance(previous, SynchronousHttp) and isinstance(interaction, SynchronousHttp):
            changes.extend(_http_changes(previous, interaction))
        elif type(previous) is not type(interaction):
            changes.append(
                PactChange(True, key[0], "interaction", "the interaction changed its kind")
            )
    return sorted(changes, key=lambda c: not c.asks_more)


def _http_changes(old: SynchronousHttp, new: SynchronousHttp) -> Iterator[PactChange]:
    name = new.description
    if (old.request.method.upper(), old.request.path) != (
        new.request.method.upper(),
        new.request.path,
    ):
        yield PactChange(
            True,
            name,
            "request",
            f"the request changed from {old.request.method.upper()} {old.request.path} to "
            f"{new.request.method.upper()} {new.request.path}",
        )
    for query in sorted(set(new.request.query) - set(old.request.query)):
        yield PactChange(True, name, f"request.query.{query}", f"query parameter {query!r} added")
    if old.response.status != new.response.status:
        yield PactChange(
            True,
            name,
            "response.status",
            f"the expected status changed from {old.response.status} to {new.response.status}",
        )
    old_headers = {h.lower() for h in old.response.headers}
    for header in sorted(h for h in new.response.headers if h.lower() not in old_headers):
        yield PactChange(
            True, name, f"response.headers.{header}", f"response header {header!r} now expected"
        )
    old_body = old.response.body.value if old.response.body.kind is BodyKind.PRESENT else None
    new_body = new.response.body.value if new.response.body.kind is BodyKind.PRESENT else None
    for path, asks_more, message in _body_changes(old_body, new_body, "$"):
        yield PactChange(asks_more, name, f"response.body{path[1:]}", message)
    yield from _rule_changes(
        name,
        old.response.matching_rules.get("body", {}),
        new.response.matching_rules.get("body", {}),
    )


def _body_changes(old: Any, new: Any, path: str) -> Iterator[tuple[str, bool, str]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old:
            if key not in new:
                yield (
                    f"{path}.{key}",
                    False,
                    f"field {path[2:] + '.' if len(path) > 1 else ''}{key} no longer expected",
                )
        for key in new:
            here = f"{path}.{key}"
            if key not in old:
                yield here, True, f"field {here[2:]} now expected"
            else:
                yield from _body_changes(old[key], new[key], here)
    elif isinstance(old, list) and isinstance(new, list) and old and new:
        yield from _body_changes(old[0], new[0], f"{path}[0]")
    elif type(old) is not type(new) and old is not None:
        yield path, True, f"{path[2:] or 'the body'} changed from {_kind(old)} to {_kind(new)}"
    elif old is None and new is not None and path == "$":
        yield path, True, "a response body is now expected"


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )


def _rule_changes(
    name: str, old: Mapping[str, RuleList], new: Mapping[str, RuleList]
) -> Iterator[PactChange]:
    for expression, rules in old.items():
        location = f"response.matchingRules.body['{expression}']"
        if expression not in new:
            yield PactChange(
                True, name, location, f"the rule at {expression} was removed (exact value now)"
            )
            continue
        for message in _tightened(rules, new[expression]):
            yield PactChange(True, name, location, f"the rule at {expression} {message}")
    for expression in new:
        if expression not in old:
            yield PactChange(
                False,
                name,
                f"response.matchingRules.body['{expression}']",
                f"a rule at {expression} was added (looser than an exact value)",
            )


def _tightened(old: RuleList, new: RuleList) -> Iterator[str]:
    old_by_kind = {m.kind: m for m in old.matchers}
    for matcher in new.matchers:
        before: Matcher | None = old_by_kind.get(matcher.kind)
        if before is None:
            yield f"now also requires {matcher.kind}"
            continue
        for key in ("min",):
            low_old, low_new = before.params.get(key), matcher.params.get(key)
            if isinstance(low_new, int) and (not isinstance(low_old, int) or low_new > low_old):
                yield f"now requires at least {low_new} items"
        high_old, high_new = before.params.get("max"), matcher.params.get("max")
        if isinstance(high_new, int) and (not isinstance(high_old, int) or high_new < high_old):
            yield f"now allows at most {high_new} items"
        for key in ("regex", "format", "value"):
            if before.params.get(key) != matcher.params.get(key):
                was, now = before.params.get(key), matcher.params.get(key)
                yield f"changed its {key} from {was!r} to {now!r}"
