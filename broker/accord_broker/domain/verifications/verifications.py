"""Verification results: published against pact *content*, by a provider version."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    LatestVerification,
    Pacticipant,
    PactVersion,
    Verification,
    Version,
)
from accord_broker.db.types import utc_now
from accord_broker.domain.limits import COUNT_MAX
from accord_broker.domain.verifications.bodies import VerificationBody
from accord_broker.domain.verifications.branch_verifications import (
    lock_provider_version,
    record_verifications_branches,
)
from accord_broker.domain.versions.branches import branch_names_of
from accord_broker.domain.versions.tags import tags_of
from accord_broker.domain.versions.versions import ensure_version
from accord_broker.errors import BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class VerificationRequest:
    """A checked verification-results body."""

    success: bool
    provider_version: str
    build_url: str | None
    test_results: Any
    verified_by: dict[str, Any] | None


def verification_request(body: VerificationBody) -> VerificationRequest:
    """The result a checked verification body records."""
    return VerificationRequest(
        success=body.success,
        provider_version=body.provider_application_version,
        build_url=body.build_url,
        test_results=body.test_results,
        verified_by=body.verified_by,
    )


def record_verification(
    session: Session,
    pact_version: PactVersion,
    provider_name: str,
    request: VerificationRequest,
    *,
    wip: bool = False,
    pact_pending: bool | None = None,
) -> Verification:
    """Store the result for ``pact_version``, creating the provider version if it is new.

    The provider version's tags and branches at this moment are kept with the result (they are
    what pending and WIP status look at), and the (pact version, provider version) "latest" cache
    is moved to this result.
    """
    provider_version, _ = ensure_version(session, provider_name, request.provider_version)
    [verification] = record_verifications(
        session, provider_version, [(pact_version, request)], wip=wip, pact_pending=pact_pending
    )
    return verification


def record_verifications(
    session: Session,
    provider_version: Version,
    results: Sequence[tuple[PactVersion, VerificationRequest]],
    *,
    wip: bool = False,
    pact_pending: bool | None = None,
) -> list[Verification]:
    """Store one result of ``provider_version`` per pact version in a fixed number of statements.

    A provider contract is compared with every consumer's pact at once, so its results are
    recorded as a set: one lock, one numbering query, one batched insert, one statement each for
    the branch rows and the "latest" cache, whatever the number of pacts. Each pact version may
    appear once; the requests' ``provider_version`` is not read (``provider_version`` is).
    """
    if not results:
        return []
    pact_ids = [pact_version.id for pact_version, _ in results]
    if len(set(pact_ids)) != len(pact_ids):
        raise ValueError("record_verifications takes each pact version at most once")
    # Numbers count per pact version: lock their rows so concurrent results take turns
    # (PostgreSQL; SQLite writers are serialised already) instead of colliding on a number.
    session.execute(
        select(PactVersion.id)
        .where(PactVersion.id.in_(pact_ids))
        .order_by(PactVersion.id)
        .with_for_update(key_share=True)
    )
    numbers: dict[int, int] = {
        int(pact_id): int(number)
        for pact_id, number in session.execute(
            select(Verification.pact_version_id, func.max(Verification.number))
            .where(Verification.pact_version_id.in_(pact_ids))
            .group_by(Verification.pact_version_id)
        ).all()
    }
    tag_names = [tag.name for tag in tags_of(session, provider_version)]
    branch_names = [name for name, _ in branch_names_of(session, provider_version)]
    now = utc_now()
    verifications = [
        Verification(
            number=numbers.get(pact_version.id, 0) + 1,
            pact_version_id=pact_version.id,
            provider_version_id=provider_version.id,
            consumer_id=pact_version.consumer_id,
            provider_id=pact_version.provider_id,
            success=request.success,
            build_url=request.build_url,
            test_results=request.test_results,
            verified_by=request.verified_by,
            wip=wip,
            pact_pending=pact_pending,
            provider_version_tag_names=list(tag_names),
            provider_version_branch_names=list(branch_names),
            execution_date=now,
            created_at=now,
        )
        for pact_version, request in results
    ]
    lock_provider_version(session, provider_version.id)
    session.add_all(verifications)
    session.flush()
    record_verifications_branches(session, [v.id for v in verifications])
    _move_latest(session, provider_version.id, verifications, now)
    return verifications


def _move_latest(
    session: Session, provider_version_id: int, verifications: list[Verification], now: datetime
) -> None:
    """Point the (pact version, provider version) "latest" cache at the new results: an update
    for the pairs that had one, an insert for the others (two statements)."""
    had = set(
        session.scalars(
            select(LatestVerification.pact_version_id).where(
                LatestVerification.provider_version_id == provider_version_id,
                LatestVerification.pact_version_id.in_([v.pact_version_id for v in verifications]),
            )
        ).all()
    )
    updates = [v for v in verifications if v.pact_version_id in had]
    inserts = [v for v in verifications if v.pact_version_id not in had]
    if updates:
        table = cast(Table, LatestVerification.__table__)
        session.execute(  # Core, so that it is one executemany, not the ORM's bulk mode
            update(table)
            .where(
                table.c.provider_version_id == provider_version_id,
                table.c.pact_version_id == bindparam("pact_id"),
            )
            .values(verification_id=bindparam("verification_id"), created_at=now),
            [{"pact_id": v.pact_version_id, "verification_id": v.id} for v in updates],
        )
    if inserts:
        session.execute(
            insert(LatestVerification),
            [
                {
                    "pact_version_id": v.pact_version_id,
                    "provider_version_id": provider_version_id,
                    "verification_id": v.id,
                    "consumer_id": v.consumer_id,
                    "provider_id": v.provider_id,
                    "created_at": now,
                }
                for v in inserts
            ],
        )
    session.flush()


def get_verification(session: Session, pact_version: PactVersion, number: int) -> Verification:
    """Result ``number`` of ``pact_version``, or a 404 (also for numbers no result can have,
    which the database would refuse to compare: beyond ``COUNT_MAX``)."""
    query = select(Verification).where(
        Verification.pact_version_id == pact_version.id, Verification.number == number
    )
    found = session.scalar(query) if 1 <= number <= COUNT_MAX else None
    if found is None:
        raise BrokerNotFoundError(
            f"No verification result {number} for pact version {pact_version.sha}"
        )
    return found


def latest_verification(session: Session, pact_version: PactVersion) -> Verification:
    found = session.scalar(
        select(Verification)
        .where(Verification.pact_version_id == pact_version.id)
        .order_by(Verification.id.desc())
        .limit(1)
    )
    if found is None:
        raise BrokerNotFoundError(f"No verification results for pact version {pact_version.sha}")
    return found


def verifications_of(session: Session, pact_version: PactVersion) -> Sequence[Verification]:
    return session.scalars(
        select(Verification)
        .where(Verification.pact_version_id == pact_version.id)
        .order_by(Verification.id)
    ).all()


def provider_version_of(session: Session, verification: Verification) -> Version:
    version = session.get(Version, verification.provider_version_id)
    assert version is not None
    return version


def provider_of(session: Session, verification: Verification) -> Pacticipant:
    provider = session.get(Pacticipant, verification.provider_id)
    assert provider is not None
    return provider
