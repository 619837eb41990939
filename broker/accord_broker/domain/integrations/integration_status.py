"""How an integration (or a tag or branch of it) stands: the Pact Broker's "pseudo-branch" status.

The latest pact of a consumer → provider line and the latest verification of that line (of any
pact content) give one of five states, used by the badges and the UI index alike:

* ``never``: no pact, or never verified;
* ``success``: the newest verification passed and was of the latest pact's content;
* ``stale``: the newest verification passed, but the pact has changed since ("changed");
* ``failed`` / ``failed_pending``: the newest verification failed (while the pact was pending).
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    BranchVersion,
    LatestPactPublication,
    LatestVerification,
    Pacticipant,
    PactVersion,
    Tag,
    Verification,
    Version,
)


class Status(Enum):
    NEVER = "never"
    SUCCESS = "success"
    STALE = "stale"
    FAILED = "failed"
    FAILED_PENDING = "failed_pending"


@dataclass(frozen=True, slots=True)
class LatestPact:
    consumer: str
    provider: str
    consumer_version_number: str
    pact_version_id: int
    pact_version_sha: str
    published_at: datetime


@dataclass(frozen=True, slots=True)
class LatestResult:
    verification_id: int
    number: int
    pact_version_id: int
    provider_version_number: str
    success: bool
    pact_pending: bool
    verified_at: datetime


@dataclass(frozen=True, slots=True)
class LineStatus:
    """A consumer → provider line: its latest pact, its latest verification and their status."""

    pact: LatestPact | None
    result: LatestResult | None
    status: Status


def status_of(pact_version_id: int | None, result: LatestResult | None) -> Status:
    """The pseudo-branch status of a latest pact (its content id) and a latest verification."""
    if pact_version_id is None or result is None:
        return Status.NEVER
    if result.success:
        return Status.SUCCESS if result.pact_version_id == pact_version_id else Status.STALE
    return Status.FAILED_PENDING if result.pact_pending else Status.FAILED


def _consumer_versions(
    consumer_id: int, tag: str | None, branch: str | None, untagged: bool
) -> Select[Any] | None:
    """The ids of the consumer versions on the line (``None``: every version)."""
    if tag is not None:
        return select(Tag.version_id).where(Tag.pacticipant_id == consumer_id, Tag.name == tag)
    if branch is not None:
        return select(BranchVersion.version_id).where(
            BranchVersion.pacticipant_id == consumer_id, BranchVersion.branch_name == branch
        )
    if untagged:
        tagged = select(Tag.version_id).where(Tag.pacticipant_id == consumer_id)
        return select(Version.id).where(
            Version.pacticipant_id == consumer_id, Version.id.not_in(tagged)
        )
    return None


def line_status(
    session: Session,
    consumer: str,
    provider: str,
    *,
    tag: str | None = None,
    branch: str | None = None,
    untagged: bool = False,
    provider_tag: str | None = None,
) -> LineStatus:
    """The status of the pacts of ``consumer`` (optionally of one tag or branch) with ``provider``.

    ``provider_tag`` keeps only verifications by provider versions with that tag (matrix badge).
    """
    parties = dict(
        session.execute(
            select(Pacticipant.name, Pacticipant.id).where(
                Pacticipant.name.in_([consumer, provider])
            )
        ).all()
    )
    if consumer not in parties or provider not in parties:
        return LineStatus(None, None, Status.NEVER)
    consumer_id, provider_id = parties[consumer], parties[provider]
    versions = _consumer_versions(consumer_id, tag, branch, untagged)
    lp = LatestPactPublication
    pact_query = (
        select(Version.number, lp.pact_version_id, PactVersion.sha, lp.created_at)
        .join(Version, Version.id == lp.consumer_version_id)
        .join(PactVersion, PactVersion.id == lp.pact_version_id)
        .where(lp.provider_id == provider_id, lp.consumer_id == consumer_id)
        .order_by(lp.consumer_version_order.desc())
        .limit(1)
    )
    if versions is not None:
        pact_query = pact_query.where(lp.consumer_version_id.in_(versions))
    found = session.execute(pact_query).first()
    if found is None:
        return LineStatus(None, None, Status.NEVER)
    pact = LatestPact(consumer, provider, found[0], found[1], found[2], found[3])
    result = _latest_result(session, consumer_id, provider_id, versions, provider_tag)
    return LineStatus(pact, result, status_of(pact.pact_version_id, result))


def _latest_result(
    session: Session,
    consumer_id: int,
    provider_id: int,
    consumer_versions: Select[Any] | None,
    provider_tag: str | None,
) -> LatestResult | None:
    """The newest verification of any pact content the line's consumer versions published."""
    lv = LatestVerification
    provider_version = aliased(Version)
    query = (
        select(
            Verification.id,
            Verification.number,
            Verification.pact_version_id,
            provider_version.number,
            Verification.success,
            Verification.pact_pending,
            Verification.execution_date,
        )
        .select_from(lv)
        .join(Verification, Verification.id == lv.verification_id)
        .join(provider_version, provider_version.id == lv.provider_version_id)
        .where(lv.provider_id == provider_id, lv.consumer_id == consumer_id)
        .order_by(lv.verification_id.desc())
        .limit(1)
    )
    if consumer_versions is not None:
        published = select(LatestPactPublication.pact_version_id).where(
            and_(
                LatestPactPublication.provider_id == provider_id,
                LatestPactPublication.consumer_version_id.in_(consumer_versions),
            )
        )
        query = query.where(lv.pact_version_id.in_(published))
    if provider_tag is not None:
        query = query.where(
            lv.provider_version_id.in_(
                select(Tag.version_id).where(
                    Tag.pacticipant_id == provider_id, Tag.name == provider_tag
                )
            )
        )
    row = session.execute(query).first()
    if row is None:
        return None
    return LatestResult(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])
