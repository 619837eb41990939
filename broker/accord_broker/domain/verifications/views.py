"""A verification result as the API renders it: a frozen read model with its provider version.

Built inside the unit of work (the provider version's number is looked up there), so the HAL
renderer reads plain values and never a stored row.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord_broker.db.models import Verification
from accord_broker.domain.pacts.pacts import find_pact_version
from accord_broker.domain.verifications import verifications


@dataclass(frozen=True, slots=True)
class VerificationView:
    """One verification result of a pact version, as published (``verifiedBy`` as stored)."""

    number: int
    success: bool
    execution_date: datetime
    test_results: Any
    verified_by: dict[str, Any] | None
    build_url: str | None
    wip: bool
    pact_pending: bool | None
    provider_version: str
    """The provider version's number."""


def view_of(session: Session, verification: Verification) -> VerificationView:
    """The read model of a stored result (one lookup: its provider version, often cached)."""
    provider_version = verifications.provider_version_of(session, verification)
    return VerificationView(
        number=verification.number,
        success=verification.success,
        execution_date=verification.execution_date,
        test_results=verification.test_results,
        verified_by=verification.verified_by,
        build_url=verification.build_url,
        wip=verification.wip,
        pact_pending=verification.pact_pending,
        provider_version=provider_version.number,
    )


def verification_view(
    session: Session, provider: str, consumer: str, sha: str, number: int
) -> VerificationView:
    """Result ``number`` of the pact version ``sha`` between the two, or a 404."""
    pact_version = find_pact_version(session, provider, consumer, sha)
    return view_of(session, verifications.get_verification(session, pact_version, number))


def latest_verification_view(
    session: Session, provider: str, consumer: str, sha: str
) -> VerificationView:
    """The newest result of the pact version ``sha`` between the two, or a 404."""
    pact_version = find_pact_version(session, provider, consumer, sha)
    return view_of(session, verifications.latest_verification(session, pact_version))
