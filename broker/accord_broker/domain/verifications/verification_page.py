"""A verification result as a page: who verified what, and each interaction's outcome.

The API serves the result as the verifier published it (HAL JSON); people want to read it. This
read model gathers the result, the provider version (with its branches and tags), the consumer
versions that published the verified content, and the ``testResults`` reshaped into one
:class:`InteractionOutcome` per interaction. ``testResults`` is free-form across verifiers
(accord, pact-reference, pact-jvm, the Ruby verifier), so every field is read defensively: what
is missing is shown as missing, never a crash. A fixed number of statements, whatever the size
of the result.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import PactPublication, PactVersion, Verification, Version
from accord_broker.domain.integrations.overview import VersionLabel, version_labels
from accord_broker.domain.pacticipants.pacticipants import find_pacticipants
from accord_broker.domain.pacts.pacts import find_pact_version
from accord_broker.domain.verifications.verifications import get_verification, latest_verification
from accord_broker.errors import BrokerNotFoundError

CONSUMER_VERSIONS_SHOWN = 20
"""The newest consumer versions named as having published the verified content."""


@dataclass(frozen=True, slots=True)
class MismatchView:
    """One mismatch as the verifier prints it: where, what was wrong, expected and actual."""

    attribute: str
    path: str
    description: str
    expected: str | None = None
    actual: str | None = None


@dataclass(frozen=True, slots=True)
class InteractionOutcome:
    description: str
    interaction_id: str | None
    success: bool | None
    mismatches: list[MismatchView] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    diff: str | None = None


@dataclass(frozen=True, slots=True)
class VerificationPage:
    consumer: str
    provider: str
    pact_sha: str
    number: int
    success: bool
    verified_at: datetime
    provider_version: VersionLabel
    consumer_versions: list[VersionLabel]
    build_url: str | None
    verified_by: str | None
    pending: bool
    wip: bool
    outcomes: list[InteractionOutcome]
    raw_results: str | None

    @property
    def failed_count(self) -> int:
        return sum(1 for o in self.outcomes if o.success is False)


def load_verification_page(
    session: Session, provider: str, consumer: str, sha: str, number: int | None
) -> VerificationPage:
    """The result ``number`` (the latest when ``None``) of pact content ``sha``.

    Raises ``BrokerNotFoundError`` naming what is missing (pair, content or result)."""
    pact_version = find_pact_version(session, provider, consumer, sha)
    found = (
        latest_verification(session, pact_version)
        if number is None
        else get_verification(session, pact_version, number)
    )
    return _page(session, provider, consumer, sha, found)


def _page(
    session: Session, provider: str, consumer: str, sha: str, found: Verification
) -> VerificationPage:
    """The page of result ``found`` of the pair's pact content ``sha``."""
    consumer_version_ids = list(
        session.scalars(
            select(Version.id)
            .join(PactPublication, PactPublication.consumer_version_id == Version.id)
            .where(PactPublication.pact_version_id == found.pact_version_id)
            .distinct()
            .order_by(Version.id.desc())
            .limit(CONSUMER_VERSIONS_SHOWN)
        )
    )
    labels = version_labels(session, [found.provider_version_id, *consumer_version_ids])
    return VerificationPage(
        consumer=consumer,
        provider=provider,
        pact_sha=sha,
        number=found.number,
        success=found.success,
        verified_at=found.execution_date,
        provider_version=labels[found.provider_version_id],
        consumer_versions=[labels[i] for i in consumer_version_ids if i in labels],
        build_url=found.build_url,
        verified_by=_implementation(found.verified_by),
        pending=bool(found.pact_pending),
        wip=found.wip,
        outcomes=outcomes_of(found.test_results),
        raw_results=None
        if found.test_results is None
        else json.dumps(found.test_results, indent=2, ensure_ascii=False),
    )


def load_latest_verification_page(
    session: Session, provider: str, consumer: str
) -> VerificationPage:
    """The newest verification of any content between the pair (what the index shows).

    Raises ``BrokerNotFoundError`` when the pair is unknown or was never verified."""
    pair = find_pacticipants(session, provider, consumer)
    provider_row, consumer_row = pair.get(provider), pair.get(consumer)
    found = None
    if provider_row is not None and consumer_row is not None:
        # the result itself, not its number looked up again through the pair and its content
        found = session.execute(
            select(Verification, PactVersion.sha)
            .join(PactVersion, PactVersion.id == Verification.pact_version_id)
            .where(
                Verification.provider_id == provider_row.id,
                Verification.consumer_id == consumer_row.id,
            )
            .order_by(Verification.id.desc())
            .limit(1)
        ).first()
    if found is None:
        raise BrokerNotFoundError(
            f"No verification of a pact between {consumer} and {provider} has been published"
        )
    verification, sha = found
    return _page(session, provider, consumer, sha, verification)


def _implementation(verified_by: Mapping[str, Any] | None) -> str | None:
    if not verified_by:
        return None
    parts = [str(verified_by.get(k)) for k in ("implementation", "version") if verified_by.get(k)]
    return " ".join(parts) or None


def _shown(value: Any) -> str | None:
    """A mismatch value as text: strings as given, anything else as compact JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=repr)


def _mismatch(raw: Any) -> MismatchView:
    if not isinstance(raw, Mapping):
        return MismatchView("", "", str(raw))
    path = raw.get("identifier") or raw.get("path") or raw.get("key") or ""
    description = raw.get("description") or raw.get("mismatch") or ""
    return MismatchView(
        attribute=str(raw.get("attribute") or raw.get("type") or ""),
        path=str(path),
        description=str(description),
        expected=_shown(raw.get("expected")),
        actual=_shown(raw.get("actual")),
    )


def _errors(raw: Mapping[str, Any]) -> list[str]:
    found = raw.get("exceptions") or []
    if not isinstance(found, Sequence) or isinstance(found, str):
        return [str(found)]
    return [str(e.get("message", e)) if isinstance(e, Mapping) else str(e) for e in found]


def _diff(raw: Mapping[str, Any]) -> str | None:
    diff = raw.get("diff")
    if diff is None:
        return None
    if isinstance(diff, str):
        return diff
    if isinstance(diff, Sequence):
        return "\n".join(str(line) for line in diff)
    return _shown(diff)


def outcomes_of(test_results: Any) -> list[InteractionOutcome]:
    """``testResults`` (a list of entries, or a pact-jvm style ``{"tests": [...]}``) read as
    one outcome per interaction."""
    if isinstance(test_results, Mapping):
        test_results = test_results.get("tests") or test_results.get("testResults") or []
    if not isinstance(test_results, Sequence) or isinstance(test_results, str):
        return []
    outcomes = []
    for raw in test_results:
        if not isinstance(raw, Mapping):
            continue
        mismatches = raw.get("mismatches") or []
        success = raw.get("success")
        outcomes.append(
            InteractionOutcome(
                description=str(
                    raw.get("interactionDescription") or raw.get("description") or "(unnamed)"
                ),
                interaction_id=str(raw["interactionId"]) if raw.get("interactionId") else None,
                success=success if isinstance(success, bool) else None,
                mismatches=[_mismatch(m) for m in mismatches]
                if isinstance(mismatches, Sequence) and not isinstance(mismatches, str)
                else [],
                errors=_errors(raw),
                diff=_diff(raw),
            )
        )
    return outcomes
