"""The comparisons a publication leaves to the background worker: queueing, claiming, finishing.

A provider contract compared with hundreds of pacts would keep its publication waiting for
every comparison (about 4 ms each), so the publication compares what fits in its budget and
queues the other pairs (``provider_contract_pending_comparisons``) in its own transaction.
Until a pair's verdict is recorded it has no result, so the matrix shows it unverified and
can-i-deploy answers "unknown" for it (``--retry-while-unknown`` waits), as PactFlow does.

Claims follow the webhook queue's pattern (:mod:`accord_broker.domain.webhooks.queue`): due rows
are selected ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (``BEGIN IMMEDIATE`` serialises SQLite's
writers) and leased to one worker. The worker computes verdicts outside any transaction, then
:func:`finish_claimed` records them in one transaction that first locks the rows it still
holds: a worker whose lease expired and was taken over records nothing, so each pair is
recorded exactly once, and a killed worker's claims are taken again after one lease.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from accord_broker.db.engine import Database
from accord_broker.db.models import PactVersion, Verification, Version
from accord_broker.db.provider_contract_models import (
    PendingComparison,
    ProviderContractContent,
    ProviderContractPublication,
)
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore_many
from accord_broker.domain.provider_contracts.comparison import (
    Verdict,
    compute_verdicts,
    store_verdicts,
    stored_verdicts,
)
from accord_broker.domain.provider_contracts.results import record_comparisons

Announce = Callable[[Session, Sequence[Verification], str], object]
"""Called with the results the worker records for one publication, inside its transaction,
with the base URL the publication was made under (the webhooks' verification events)."""


def queue_comparisons(
    session: Session,
    publication: ProviderContractPublication,
    pact_version_ids: Sequence[int],
    base_url: str,
) -> None:
    """Leave these pairs to the worker (a republication has dropped the publication's earlier
    queued pairs with :func:`forget_queued` first: its document is the one to compare)."""
    now = utc_now()
    insert_ignore_many(
        session,
        PendingComparison,
        [
            {
                "publication_id": publication.id,
                "content_id": publication.content_id,
                "pact_version_id": pact_id,
                "base_url": base_url,
                "created_at": now,
            }
            for pact_id in pact_version_ids
        ],
        ["publication_id", "pact_version_id"],
    )


def forget_queued(session: Session, publication: ProviderContractPublication) -> None:
    """Drop the publication's queued pairs (a republication, before it compares: this waits
    for a worker recording some of them, which holds their rows until it commits)."""
    session.execute(
        delete(PendingComparison).where(PendingComparison.publication_id == publication.id)
    )


def pending_count(session: Session, publication_id: int) -> int:
    """How many of the publication's comparisons the worker has still to record."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(PendingComparison)
            .where(PendingComparison.publication_id == publication_id)
        )
        or 0
    )


@dataclass(frozen=True, slots=True)
class ClaimedPair:
    pending_id: int
    content_id: int
    pact_version_id: int


def claim_pending(
    database: Database, owner: str, *, limit: int, lease_seconds: float
) -> list[ClaimedPair]:
    """Lease up to ``limit`` queued pairs to ``owner`` (oldest first).

    An empty queue is seen by a read first: claiming takes the write lock (``BEGIN IMMEDIATE``
    on SQLite), and every broker process polls, so an idle poll must not queue behind, or hold
    up, the requests' writers."""
    with database.read_session() as session:
        if session.scalar(select(PendingComparison.id).limit(1)) is None:
            return []

    def work(session: Session) -> list[ClaimedPair]:
        now = utc_now()
        rows = session.execute(
            select(
                PendingComparison.id,
                PendingComparison.content_id,
                PendingComparison.pact_version_id,
            )
            .where(
                or_(
                    PendingComparison.lease_expires_at.is_(None),
                    PendingComparison.lease_expires_at < now,
                )
            )
            .order_by(PendingComparison.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if rows:
            session.execute(
                update(PendingComparison)
                .where(PendingComparison.id.in_([r[0] for r in rows]))
                .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_seconds))
            )
        return [ClaimedPair(int(a), int(b), int(c)) for a, b, c in rows]

    return database.write(work)


def compute_claimed(database: Database, claimed: Sequence[ClaimedPair]) -> dict[int, Verdict]:
    """The verdicts of the claimed pairs not stored yet, by pending id (pure work on the texts,
    outside any transaction, so the database's writers do not wait for it)."""
    by_content: dict[int, list[ClaimedPair]] = defaultdict(list)
    for pair in claimed:
        by_content[pair.content_id].append(pair)
    verdicts: dict[int, Verdict] = {}
    with database.read_session() as session:
        for content_id, pairs in by_content.items():
            content = session.get(ProviderContractContent, content_id)
            if content is None:
                continue  # deleted with its provider: finish_claimed drops the rows
            stored = stored_verdicts(session, [p.pact_version_id for p in pairs], content)
            pacts = session.scalars(
                select(PactVersion).where(
                    PactVersion.id.in_([p.pact_version_id for p in pairs]),
                    PactVersion.id.not_in(stored),
                )
            ).all()
            computed = compute_verdicts(pacts, content)
            for pair in pairs:
                found = computed.get(pair.pact_version_id)
                if found is not None:
                    verdicts[pair.pending_id] = found
    return verdicts


@dataclass(slots=True)
class Finished:
    """What one :func:`finish_claimed` did: results recorded, stale rows dropped, and the
    claims it no longer held (taken over by another worker after the lease expired)."""

    recorded: int = 0
    dropped: int = 0
    lost: int = 0
    verifications: list[int] = field(default_factory=list)


def _still_ours(session: Session, owner: str, ids: list[int]) -> list[PendingComparison]:
    return list(
        session.scalars(
            select(PendingComparison)
            .where(PendingComparison.id.in_(ids), PendingComparison.lease_owner == owner)
            .order_by(PendingComparison.id)
            .with_for_update()
        ).all()
    )


def finish_claimed(
    database: Database,
    owner: str,
    claimed: Sequence[ClaimedPair],
    computed: dict[int, Verdict],
    announce: Announce | None = None,
) -> Finished:
    """Record the claimed pairs this worker still holds as results (and announce each), and
    delete their rows, in one transaction: exactly once per pair."""

    def work(session: Session) -> Finished:
        finished = Finished()
        rows = _still_ours(session, owner, [p.pending_id for p in claimed])
        finished.lost = len(claimed) - len(rows)
        groups: dict[int, list[PendingComparison]] = defaultdict(list)
        for row in rows:
            groups[row.publication_id].append(row)
        for publication_id, group in groups.items():
            publication = session.get(ProviderContractPublication, publication_id)
            if publication is None:  # deleted with its version: nothing to record
                finished.dropped += len(group)
                continue
            content = session.get(ProviderContractContent, publication.content_id)
            current = [r for r in group if r.content_id == publication.content_id]
            finished.dropped += len(group) - len(current)
            if not current or content is None:
                continue
            version = session.get(Version, publication.provider_version_id)
            assert version is not None
            fresh = {r.pact_version_id: computed[r.id] for r in current if r.id in computed}
            store_verdicts(session, fresh, content)
            pacts = session.scalars(
                select(PactVersion)
                .where(PactVersion.id.in_([r.pact_version_id for r in current]))
                .order_by(PactVersion.id)
            ).all()
            outcome = record_comparisons(
                session,
                pacts,
                provider_version=version,
                publication=publication,
                content=content,
                verdicts=fresh,
            )
            finished.recorded += len(outcome.recorded)
            finished.verifications += [v.id for v in outcome.recorded]
            if announce is not None:
                announce(session, outcome.recorded, current[0].base_url)
        if rows:
            session.execute(
                delete(PendingComparison).where(PendingComparison.id.in_([r.id for r in rows]))
            )
        return finished

    return database.write(work)


def release_claims(database: Database, owner: str) -> int:
    """Hand ``owner``'s claims back to the queue (a worker stopping), so another worker takes
    them now instead of after the lease."""

    def work(session: Session) -> int:
        released = session.execute(
            update(PendingComparison)
            .where(PendingComparison.lease_owner == owner)
            .values(lease_owner=None, lease_expires_at=None)
        )
        return int(getattr(released, "rowcount", 0) or 0)

    return database.write(work)
