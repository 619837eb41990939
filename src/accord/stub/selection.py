"""Which interaction answers a request: the pacts' request matching rules decide.

The choice follows the reference stub server (pact-stub-server), so that a consumer's tests see
the same answers from either: an interaction answers when its method, path and query match the
request and, for ``POST``/``PUT``/``PATCH`` requests that carry a body, its body matches too.
Header differences (and body differences of other requests) do not rule an interaction out;
they only rank it: among the interactions that answer, the one with the fewest differences
wins, the first in pact order on a tie.

A requested provider state (a regular expression, searched in each state's name) goes before
everything else: an interaction in that state is preferred to one that is not. Unlike the
reference, which answers 404 when no interaction is in the requested state, accord then falls
back to the best interaction in any state (``docs/stub.md`` explains why).

When nothing answers, :class:`NoMatch` names the nearest interaction and its differences, so the
404 can say what to change.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from accord.errors import PactRegexError
from accord.matching import ActualRequest, Mismatch, match_request
from accord.pact import HttpRequest, Pact, SynchronousHttp
from accord.pact.regex import compile_pact_regex

#: Differences that always rule an interaction out.
_DECISIVE = frozenset({"method", "path", "query"})
#: Body differences rule an interaction out only for these methods, when a body was sent.
_PAYLOAD_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True, slots=True)
class StubInteraction:
    """One HTTP interaction of a served pact, with a cheap test of its path."""

    pact: Pact
    interaction: SynchronousHttp
    position: int
    path_test: Callable[[str], bool]
    """Whether a request path can be this interaction's: a cheap test before the full match."""

    @property
    def method(self) -> str:
        return self.interaction.request.method.upper()

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(state.name for state in self.interaction.provider_states)

    def label(self) -> str:
        """``'get an account' (Web -> Accounts)``: how a person finds it in the pact."""
        return f"{self.interaction.description!r} ({self.pact.consumer} -> {self.pact.provider})"


@dataclass(frozen=True, slots=True)
class StatePreference:
    """The provider state a request asks for: a regex searched in the interactions' states."""

    pattern: re.Pattern[str]
    empty_state_matches: bool = False

    def accepts(self, candidate: StubInteraction) -> bool:
        names = candidate.state_names
        if self.empty_state_matches and (not names or any(not name for name in names)):
            return True
        return any(self.pattern.search(name) for name in names)


@dataclass(frozen=True, slots=True)
class Match:
    """The interaction that answers, and the differences that did not rule it out."""

    candidate: StubInteraction
    tolerated: tuple[Mismatch, ...]


@dataclass(frozen=True, slots=True)
class NoMatch:
    """Nothing answers: the nearest interaction (if any) and every difference from it."""

    nearest: StubInteraction | None
    differences: tuple[Mismatch, ...]
    considered: int


def http_interactions(pacts: Iterable[Pact]) -> list[StubInteraction]:
    """Every HTTP interaction of ``pacts`` in order; messages have nothing to serve."""
    found: list[StubInteraction] = []
    for pact in pacts:
        for interaction in pact.interactions:
            if isinstance(interaction, SynchronousHttp):
                test = _path_test(interaction.request, pact)
                found.append(StubInteraction(pact, interaction, len(found), test))
    return found


def _path_test(expected: HttpRequest, pact: Pact) -> Callable[[str], bool]:
    """A test of the path alone: equality, one compiled regex, or the engine for other rules."""
    path = expected.path
    path_rules = expected.matching_rules.get("path")
    if not path_rules:
        return lambda actual: actual == path
    rule_list = path_rules.get("") or next(iter(path_rules.values()))
    matchers = rule_list.matchers
    if len(matchers) == 1 and matchers[0].kind == "regex":
        try:
            pattern = compile_pact_regex(str(matchers[0].params.get("regex")))
        except PactRegexError:
            pass  # the engine reports it, as a mismatch, when a request comes
        else:
            return pattern.fullmatch
    route = HttpRequest(path=path, matching_rules={"path": path_rules})
    return lambda actual: not match_request(route, ActualRequest("GET", actual), spec=pact.spec)


def _decisive(mismatches: Sequence[Mismatch], actual: ActualRequest) -> list[Mismatch]:
    payload = actual.method.upper() in _PAYLOAD_METHODS and bool(actual.body)
    return [
        m
        for m in mismatches
        if m.kind in _DECISIVE or (payload and m.kind in ("body", "body-type"))
    ]


class InteractionIndex:
    """The served interactions, grouped by method so that a request is compared only with
    interactions that can answer it."""

    def __init__(self, interactions: Sequence[StubInteraction]) -> None:
        self.interactions = tuple(interactions)
        self._by_method: dict[str, list[StubInteraction]] = {}
        for candidate in self.interactions:
            self._by_method.setdefault(candidate.method, []).append(candidate)

    def choose(
        self, actual: ActualRequest, state: StatePreference | None = None
    ) -> Match | NoMatch:
        """The interaction that answers ``actual`` (the request as sent), or why none does."""
        method = actual.method.upper()
        answering: list[tuple[tuple[bool, int, int], Match]] = []
        path = actual.path
        for candidate in self._by_method.get(method, ()):
            if not candidate.path_test(path):
                continue  # another path: no need to compare query, headers and body
            request = candidate.interaction.request
            mismatches = match_request(request, actual, spec=candidate.pact.spec)
            if _decisive(mismatches, actual):
                continue
            preferred = state is None or state.accepts(candidate)
            rank = (not preferred, len(mismatches), candidate.position)
            answering.append((rank, Match(candidate, tuple(mismatches))))
        if answering:
            return min(answering, key=lambda entry: entry[0])[1]
        return self.nearest(actual)

    def nearest(self, actual: ActualRequest) -> NoMatch:
        """The interaction closest to ``actual``: same method and path first, then the fewest
        differences that rule it out, then the fewest differences of any kind."""
        best: tuple[tuple[int, int, int], StubInteraction, list[Mismatch]] | None = None
        for candidate in self.interactions:
            request = candidate.interaction.request
            mismatches = match_request(request, actual, spec=candidate.pact.spec)
            routing = sum(1 for m in mismatches if m.kind in ("method", "path"))
            score = (routing, len(_decisive(mismatches, actual)), len(mismatches))
            if best is None or score < best[0]:
                best = (score, candidate, mismatches)
        if best is None:
            return NoMatch(None, (), 0)
        return NoMatch(best[1], tuple(best[2]), len(self.interactions))
