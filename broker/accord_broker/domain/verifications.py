"""Verification results: published against pact *content*, by a provider version."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    LatestVerification,
    Pacticipant,
    PactVersion,
    Verification,
    Version,
)
from accord_broker.db.types import utc_now
from accord_broker.domain.branch_verifications import (
    lock_provider_version,
    record_verification_branches,
)
from accord_broker.domain.branches import branch_names_of
from accord_broker.domain.tags import tags_of
from accord_broker.domain.user_urls import http_url_problem
from accord_broker.domain.versions import ensure_version
from accord_broker.errors import BrokerInputError, BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class VerificationRequest:
    """A checked verification-results body."""

    success: bool
    provider_version: str
    build_url: str | None
    test_results: Any
    verified_by: dict[str, Any] | None


def read_verification_request(body: dict[str, Any]) -> VerificationRequest:
    """Validate a POSTed verification result (``success`` and ``providerApplicationVersion``)."""
    errors: dict[str, list[str]] = {}
    success = body.get("success")
    if not isinstance(success, bool):
        errors["success"] = ["must be true or false"]
    version = body.get("providerApplicationVersion")
    if not isinstance(version, str) or not version.strip():
        errors["providerApplicationVersion"] = ["is missing or blank"]
    build_url = body.get("buildUrl")
    if build_url is not None and not isinstance(build_url, str):
        errors["buildUrl"] = ["must be a string (a URL)"]
    elif build_url and (problem := http_url_problem(build_url)) is not None:
        errors["buildUrl"] = [problem]
    verified_by = body.get("verifiedBy")
    if verified_by is not None and not isinstance(verified_by, dict):
        errors["verifiedBy"] = ["must be an object"]
    if errors:
        summary = "; ".join(f"{k} {' '.join(v)}" for k, v in errors.items())
        raise BrokerInputError(f"invalid verification result: {summary}", errors=errors)
    assert isinstance(success, bool) and isinstance(version, str)
    return VerificationRequest(
        success=success,
        provider_version=version,
        build_url=build_url if isinstance(build_url, str) else None,
        test_results=body.get("testResults"),
        verified_by=verified_by if isinstance(verified_by, dict) else None,
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
    # Numbers count per pact version: lock its row so concurrent results take turns (PostgreSQL;
    # SQLite writers are serialised already) instead of colliding on the same next number.
    session.execute(
        select(PactVersion.id)
        .where(PactVersion.id == pact_version.id)
        .with_for_update(key_share=True)
    )
    number = session.scalar(
        select(func.coalesce(func.max(Verification.number), 0) + 1).where(
            Verification.pact_version_id == pact_version.id
        )
    )
    now = utc_now()
    verification = Verification(
        number=int(number or 1),
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
        provider_version_tag_names=[tag.name for tag in tags_of(session, provider_version)],
        provider_version_branch_names=[
            name for name, _ in branch_names_of(session, provider_version)
        ],
        execution_date=now,
        created_at=now,
    )
    lock_provider_version(session, provider_version.id)
    session.add(verification)
    session.flush()
    record_verification_branches(session, verification)
    key = (pact_version.id, provider_version.id)
    if session.get(LatestVerification, key) is None:
        session.add(
            LatestVerification(
                pact_version_id=pact_version.id,
                provider_version_id=provider_version.id,
                verification_id=verification.id,
                consumer_id=pact_version.consumer_id,
                provider_id=pact_version.provider_id,
                created_at=now,
            )
        )
    else:
        session.execute(
            update(LatestVerification)
            .where(
                LatestVerification.pact_version_id == pact_version.id,
                LatestVerification.provider_version_id == provider_version.id,
            )
            .values(verification_id=verification.id, created_at=now)
        )
    session.flush()
    return verification


def get_verification(session: Session, pact_version: PactVersion, number: int) -> Verification:
    found = session.scalar(
        select(Verification).where(
            Verification.pact_version_id == pact_version.id, Verification.number == number
        )
    )
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
