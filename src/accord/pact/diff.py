"""What changed between two versions of a consumer's pact, and whether the new one asks more.

Interactions are paired by description and provider states (the identity the Pact Broker uses
for an interaction); an interaction whose states changed is still paired with its old self
when its description is unique on both sides, so a new state or new state params read as a
change to that interaction rather than a removal and an addition. Every part is then compared
by meaning (:mod:`accord.pact.diff_parts`): request and response, message contents and
metadata, both sides of a V4 synchronous message; fields, example values, matching rules and
generators.

A change *asks more* of the provider when a provider that satisfied the old pact could fail the
new one: a new interaction, anything different in a request it receives (it was never verified
with that request, and a looser request rule means more requests to accept), a response field,
header or status it must now return, a matching rule on a response removed or tightened.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from accord.pact.diff_parts import message_changes, request_changes, response_changes
from accord.pact.diff_rules import PartChange, PartSide, short
from accord.pact.model import (
    AnyInteraction,
    AsynchronousMessage,
    Pact,
    ProviderState,
    SynchronousHttp,
    SynchronousMessages,
)

__all__ = ["PactChange", "diff_pacts"]

_KINDS = {
    SynchronousHttp: "an HTTP interaction",
    AsynchronousMessage: "an asynchronous message",
    SynchronousMessages: "a synchronous message",
}


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


_Identity = tuple[str, tuple[str, ...]]


def _identity(interaction: AnyInteraction) -> _Identity:
    return interaction.description, tuple(sorted(s.name for s in interaction.provider_states))


def diff_pacts(old: Pact, new: Pact) -> list[PactChange]:
    """Every change from ``old`` to ``new``; those that ask more of the provider first."""
    before = {_identity(i): i for i in old.interactions}
    after = {_identity(i): i for i in new.interactions}
    gone = [i for key, i in before.items() if key not in after]
    came = [i for key, i in after.items() if key not in before]
    paired = _paired_by_description(gone, came)
    paired_old = {id(was) for was, _ in paired}
    changes = [
        PactChange(False, i.description, "interaction", "the interaction was removed")
        for i in gone
        if id(i) not in paired_old
    ]
    renewed = {id(now): was for was, now in paired}
    for key, interaction in after.items():
        previous = before.get(key) or renewed.get(id(interaction))
        if previous is None:
            changes.append(PactChange(True, key[0], "interaction", "the interaction was added"))
            continue
        changes.extend(
            PactChange(c.asks_more, key[0], c.location, c.message)
            for c in _interaction_changes(previous, interaction)
        )
    return sorted(changes, key=lambda c: not c.asks_more)


def _paired_by_description(
    gone: list[AnyInteraction], came: list[AnyInteraction]
) -> list[tuple[AnyInteraction, AnyInteraction]]:
    """Unpaired interactions whose description is unique among both sides' unpaired ones."""

    def unique(items: list[AnyInteraction]) -> dict[str, AnyInteraction]:
        counts: dict[str, int] = {}
        for item in items:
            counts[item.description] = counts.get(item.description, 0) + 1
        return {i.description: i for i in items if counts[i.description] == 1}

    olds, news = unique(gone), unique(came)
    return [(olds[name], news[name]) for name in news if name in olds]


def _interaction_changes(old: AnyInteraction, new: AnyInteraction) -> Iterator[PartChange]:
    yield from _state_changes(old.provider_states, new.provider_states)
    if isinstance(old, SynchronousHttp) and isinstance(new, SynchronousHttp):
        yield from request_changes(PartSide("request", False), old.request, new.request)
        yield from response_changes(PartSide("response", True), old.response, new.response)
    elif isinstance(old, AsynchronousMessage) and isinstance(new, AsynchronousMessage):
        yield from message_changes(PartSide("message", True), old.message, new.message)
    elif isinstance(old, SynchronousMessages) and isinstance(new, SynchronousMessages):
        yield from message_changes(PartSide("request", False), old.request, new.request)
        for index, (was, now) in enumerate(zip(old.response, new.response, strict=False)):
            yield from message_changes(PartSide(f"response[{index}]", True), was, now)
        for index in range(len(old.response), len(new.response)):
            yield PartChange(True, f"response[{index}]", "a response message was added")
        for index in range(len(new.response), len(old.response)):
            yield PartChange(False, f"response[{index}]", "a response message was removed")
    else:
        message = f"the interaction changed from {_KINDS[type(old)]} to {_KINDS[type(new)]}"
        yield PartChange(True, "interaction", message)


def _state_changes(
    old: tuple[ProviderState, ...], new: tuple[ProviderState, ...]
) -> Iterator[PartChange]:
    """Provider states added, removed or given other params: each is set-up the provider runs."""
    before = {s.name: s.params for s in old}
    after = {s.name: s.params for s in new}
    for name in before:
        if name not in after:
            where = f"providerStates['{name}']"
            yield PartChange(False, where, f"the provider state {name!r} is no longer given")
    for name, params in after.items():
        where = f"providerStates['{name}']"
        if name not in before:
            shown = f" with {_params(params)}" if params else ""
            yield PartChange(True, where, f"the provider state {name!r} is now given{shown}")
        elif before[name] != params:
            for key in sorted(set(before[name]) | set(params)):
                was, now = before[name].get(key), params.get(key)
                if was != now:
                    message = (
                        f"the provider state {name!r} param {key!r} changed from "
                        f"{short(was)} to {short(now)}"
                    )
                    yield PartChange(True, f"{where}.params.{key}", message)


def _params(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={short(v)}" for k, v in sorted(params.items()))
