"""What a verification found: one verdict per interaction, grouped by pact.

These are plain frozen values so every report (console, JSON, JUnit, broker publication, pytest)
reads the same facts, and a caller can inspect them without parsing text.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Outcome = Literal["passed", "failed", "pending"]
InteractionKind = Literal["http", "message", "sync-message"]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One difference between what the pact expects and what the provider did.

    ``attribute`` is the part of the interaction, named as the Pact Broker names it in published
    results (``method``, ``path``, ``status``, ``query``, ``header``, ``body``, ``metadata``);
    ``path`` is where inside it (``$.account.id``, a header name).
    """

    attribute: str
    path: str
    expected: Any
    actual: Any
    message: str


@dataclass(frozen=True, slots=True)
class BodyDiff:
    """Expected and actual bodies, kept only for failures so a report can show a unified diff."""

    expected: str
    actual: str


@dataclass(frozen=True, slots=True)
class InteractionResult:
    """The verdict on one interaction of one pact."""

    consumer: str
    provider: str
    description: str
    kind: InteractionKind
    states: tuple[str, ...] = ()
    interaction_id: str | None = None
    pending: bool = False
    mismatches: tuple[Mismatch, ...] = ()
    # a failure that is not a mismatch: the provider was unreachable, a state handler raised
    error: str | None = None
    duration: float = 0.0
    body_diff: BodyDiff | None = None
    #: things the verifier did that the user should know about even when the interaction
    #: passed, e.g. "body $.id: the ProviderState generator could not produce a value (...),
    #: so the example value was kept"
    warnings: tuple[str, ...] = ()
    #: the V4 interaction's ``comments.text``, shown under its verdict so a reader of the report
    #: sees what the consumer wrote about it
    comments: tuple[str, ...] = ()
    #: the V4 ``comments.testname``: the consumer test that recorded the interaction
    test_name: str | None = None

    @property
    def success(self) -> bool:
        return not self.mismatches and self.error is None

    @property
    def outcome(self) -> Outcome:
        if self.success:
            return "passed"
        return "pending" if self.pending else "failed"

    @property
    def test_id(self) -> str:
        """``consumer::description``: the name pytest and JUnit use for this interaction."""
        return f"{self.consumer}::{self.description}"


@dataclass(frozen=True, slots=True)
class PactResult:
    """The verdicts on one pact, with what the broker told us about it."""

    consumer: str
    provider: str
    source: str
    interactions: tuple[InteractionResult, ...]
    pending: bool = False
    wip: bool = False
    notices: tuple[Mapping[str, str], ...] = ()
    publish_url: str | None = None
    provider_url: str | None = None

    @property
    def success(self) -> bool:
        return all(result.success for result in self.interactions)


@dataclass(frozen=True, slots=True)
class PublicationOutcome:
    """Whether verification results reached the broker for one pact."""

    pact_source: str
    url: str | None
    published: bool
    detail: str = ""
    #: the verification result the broker created (its ``_links.self``), when it says so
    result_url: str | None = None


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """Everything one run verified. ``success`` ignores pending interactions and WIP pacts."""

    pacts: tuple[PactResult, ...]
    publications: tuple[PublicationOutcome, ...] = field(default=())

    @property
    def interactions(self) -> Sequence[InteractionResult]:
        return [result for pact in self.pacts for result in pact.interactions]

    @property
    def failures(self) -> Sequence[InteractionResult]:
        return [result for result in self.interactions if result.outcome == "failed"]

    @property
    def pending_failures(self) -> Sequence[InteractionResult]:
        return [result for result in self.interactions if result.outcome == "pending"]

    @property
    def success(self) -> bool:
        return not self.failures

    @property
    def exit_code(self) -> int:
        """0 when every non-pending interaction passed, 1 otherwise (the ``pact verifier`` rule)."""
        return 0 if self.success else 1

    def summary(self) -> str:
        total = len(self.interactions)
        failed = len(self.failures)
        pending = len(self.pending_failures)
        noun = "interaction" if total == 1 else "interactions"
        text = f"{total} {noun}, {total - failed - pending} passed, {failed} failed"
        if pending:
            text += f", {pending} pending failure{'' if pending == 1 else 's'} (not fatal)"
        return text
