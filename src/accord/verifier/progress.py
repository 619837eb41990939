"""Progress of a verification run, pact by pact, for whoever wants to show it.

A large provider suite takes minutes; a spinner says nothing about where it is. The verification
loop therefore tells an optional listener when each pact starts ("pact 3 of 12") and when it
finishes (its verdict, interaction counts and time). The events are plain frozen values so the
CLI, a CI plugin or a user's script can render them however it likes; without a listener the
verifier does exactly what it did before.
"""

import re
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import unquote

from accord.verifier.results import PactResult
from accord.verifier.sources import LoadedPact

#: ``pending-failed``: only pending interactions (or a pending/WIP pact) failed, not fatal.
PactVerdict = Literal["passed", "failed", "pending-failed"]

# a broker pact URL names the consumer version: /pacts/provider/P/consumer/C/version/1.2.3
_VERSION_IN_URL = re.compile(r"/consumer/[^/]+/version/([^/?#]+)")


def consumer_version_of(loaded: LoadedPact) -> str | None:
    """The consumer version a pact belongs to: the broker's ``pb:consumer-version`` link, else
    a ``/version/{number}`` in its URL, else ``None`` (files carry no version)."""
    if loaded.consumer_version is not None:
        return loaded.consumer_version
    found = _VERSION_IN_URL.search(loaded.source)
    return unquote(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class PactStarted:
    """Pact ``index`` of ``total`` (1-based) is about to be verified."""

    index: int
    total: int
    consumer: str
    provider: str
    consumer_version: str | None
    source: str
    #: how many of its interactions will be verified (after the description/state filters)
    interactions: int


@dataclass(frozen=True, slots=True)
class PactFinished:
    """Pact ``index`` of ``total`` has a verdict; ``result`` holds every interaction's."""

    index: int
    total: int
    consumer: str
    provider: str
    consumer_version: str | None
    source: str
    verdict: PactVerdict
    passed: int
    failed: int
    pending_failed: int
    seconds: float
    result: PactResult

    @property
    def interactions(self) -> int:
        """How many interactions were verified (fewer than selected after a stop on failure)."""
        return self.passed + self.failed + self.pending_failed


ProgressEvent = PactStarted | PactFinished


class ProgressListener(Protocol):
    """Called synchronously, in order, from the verification loop; keep it quick."""

    def __call__(self, event: ProgressEvent, /) -> None: ...


def pact_started(loaded: LoadedPact, *, index: int, total: int, interactions: int) -> PactStarted:
    pact = loaded.pact
    return PactStarted(
        index=index,
        total=total,
        consumer=pact.consumer,
        provider=pact.provider,
        consumer_version=consumer_version_of(loaded),
        source=loaded.source,
        interactions=interactions,
    )


def verdict_of(result: PactResult) -> PactVerdict:
    outcomes = {interaction.outcome for interaction in result.interactions}
    if "failed" in outcomes:
        return "failed"
    return "pending-failed" if "pending" in outcomes else "passed"


def pact_finished(started: PactStarted, result: PactResult, *, seconds: float) -> PactFinished:
    outcomes = [interaction.outcome for interaction in result.interactions]
    return PactFinished(
        index=started.index,
        total=started.total,
        consumer=started.consumer,
        provider=started.provider,
        consumer_version=started.consumer_version,
        source=started.source,
        verdict=verdict_of(result),
        passed=outcomes.count("passed"),
        failed=outcomes.count("failed"),
        pending_failed=outcomes.count("pending"),
        seconds=seconds,
        result=result,
    )
