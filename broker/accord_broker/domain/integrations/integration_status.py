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

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import Pacticipant
from accord_broker.domain.integrations.line_walks import (
    Line,
    line_params,
    newest_pact_statement,
    newest_result_statement,
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
    if result is None:
        return Status.NEVER
    return result_status(
        pact_version_id, result.pact_version_id, result.success, result.pact_pending
    )


def result_status(
    pact_version_id: int | None, verified_content: int | None, success: bool, pending: bool
) -> Status:
    """``status_of`` from the newest result's content id, success and pending flag alone
    (``verified_content`` ``None`` when there is no result), for a listing that reads only
    those."""
    if pact_version_id is None or verified_content is None:
        return Status.NEVER
    if success:
        return Status.SUCCESS if verified_content == pact_version_id else Status.STALE
    return Status.FAILED_PENDING if pending else Status.FAILED


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
    line = Line(tag=tag, branch=branch, untagged=untagged, provider_tag=provider_tag)
    params = line_params(parties[provider], parties[consumer], line)
    found = session.execute(newest_pact_statement(line.kind), params).first()
    if found is None:
        return LineStatus(None, None, Status.NEVER)
    pact = LatestPact(consumer, provider, found[0], found[1], found[2], found[3])
    by_provider_tag = provider_tag is not None
    row = session.execute(newest_result_statement(line.kind, by_provider_tag), params).first()
    result = None
    if row is not None:
        result = LatestResult(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])
    return LineStatus(pact, result, status_of(pact.pact_version_id, result))
