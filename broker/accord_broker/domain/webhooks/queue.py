"""The delivery queue: claiming due deliveries, rendering them, recording each attempt.

Claims are safe with several broker processes on one database. On PostgreSQL the due rows are
selected ``FOR UPDATE SKIP LOCKED`` and leased in the same transaction, so two workers never
claim the same row; on SQLite the write transaction starts with ``BEGIN IMMEDIATE`` (one writer
at a time), which makes select-then-lease atomic. A lease is short and expires
(``lease_expires_at``); the worker renews its leases (:func:`renew_claims`) while it delivers,
so a delivery whose worker was killed mid-way is claimed again within one lease (seconds), not
after a whole batch's worst case: after a crash a delivery may be repeated, never lost. An
attempt is recorded only by the lease holder.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from accord_broker.db.engine import Database
from accord_broker.db.models import PactPublication, Verification
from accord_broker.db.types import utc_now
from accord_broker.db.webhook_models import TriggeredWebhook, Webhook, WebhookExecution
from accord_broker.domain.webhooks import events
from accord_broker.domain.webhooks.execution import ExecutionResult
from accord_broker.domain.webhooks.parameters import (
    latest_verification_of,
    pact_facts,
    template_values,
    verification_facts,
)
from accord_broker.domain.webhooks.store import definition_of
from accord_broker.domain.webhooks.templates import RenderedRequest, render_request


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    """Seconds to wait before each retry; ``len(delays) + 1`` attempts in all."""

    delays: tuple[float, ...]

    @property
    def attempts(self) -> int:
        return len(self.delays) + 1

    def remaining(self, status: str, attempts_made: int) -> int:
        if status in (events.SUCCESS, events.FAILURE):
            return 0
        return max(0, self.attempts - attempts_made)


def claim_due(database: Database, owner: str, *, limit: int, lease_seconds: float) -> list[int]:
    """Lease up to ``limit`` due deliveries to ``owner``; their ids."""

    def work(session: Session) -> list[int]:
        now = utc_now()
        due = session.scalars(
            select(TriggeredWebhook.id)
            .where(
                TriggeredWebhook.status.in_(events.PENDING_STATUSES),
                TriggeredWebhook.next_attempt_at <= now,
                or_(
                    TriggeredWebhook.lease_expires_at.is_(None),
                    TriggeredWebhook.lease_expires_at < now,
                ),
            )
            .order_by(TriggeredWebhook.next_attempt_at, TriggeredWebhook.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if due:
            session.execute(
                update(TriggeredWebhook)
                .where(TriggeredWebhook.id.in_(due))
                .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_seconds))
            )
        return list(due)

    return database.write(work)


def render_delivery(session: Session, triggered: TriggeredWebhook) -> RenderedRequest | None:
    """The request a triggered webhook sends (``None`` if its webhook is gone)."""
    webhook = session.get(Webhook, triggered.webhook_id)
    if webhook is None:
        return None
    publication = (
        session.get(PactPublication, triggered.pact_publication_id)
        if triggered.pact_publication_id is not None
        else None
    )
    verification = (
        session.get(Verification, triggered.verification_id)
        if triggered.verification_id is not None
        else None
    )
    if verification is None and publication is not None:
        verification = latest_verification_of(session, publication.pact_version_id)
    context = dict(triggered.event_context)
    values = template_values(
        str(context.get("base_url", "")),
        pact_facts(session, publication) if publication is not None else None,
        verification_facts(session, verification) if verification is not None else None,
        context,
    )
    return render_request(definition_of(session, webhook).request, values)


def load_for_delivery(database: Database, delivery_id: int) -> RenderedRequest | None:
    with database.read_session() as session:
        triggered = session.get(TriggeredWebhook, delivery_id)
        return render_delivery(session, triggered) if triggered is not None else None


def record_attempt(
    database: Database,
    delivery_id: int,
    owner: str,
    result: ExecutionResult,
    schedule: RetrySchedule,
) -> str | None:
    """Store the attempt's log and move the delivery on; its new status (``None``: not ours)."""

    def work(session: Session) -> str | None:
        triggered = session.get(TriggeredWebhook, delivery_id, with_for_update=True)
        if triggered is None or triggered.lease_owner != owner:
            return None
        now = utc_now()
        session.add(
            WebhookExecution(
                triggered_webhook_id=delivery_id,
                success=result.success,
                logs=result.logs,
                created_at=now,
            )
        )
        triggered.attempts_made += 1
        if result.success:
            triggered.status = events.SUCCESS
        elif triggered.attempts_made >= schedule.attempts:
            triggered.status = events.FAILURE
        else:
            triggered.status = events.RETRYING
            delay = schedule.delays[triggered.attempts_made - 1]
            triggered.next_attempt_at = now + timedelta(seconds=delay)
        triggered.lease_owner = None
        triggered.lease_expires_at = None
        triggered.updated_at = now
        return triggered.status

    return database.write(work)


def drop_delivery(database: Database, delivery_id: int, owner: str) -> None:
    """Give up a delivery that cannot be rendered any more (its webhook was deleted)."""

    def work(session: Session) -> None:
        session.execute(
            update(TriggeredWebhook)
            .where(TriggeredWebhook.id == delivery_id, TriggeredWebhook.lease_owner == owner)
            .values(status=events.FAILURE, lease_owner=None, lease_expires_at=None)
        )

    database.write(work)


def renew_claims(database: Database, owner: str, *, lease_seconds: float) -> int:
    """Extend the leases ``owner`` holds on deliveries not yet attempted (the worker's
    heartbeat while it delivers); how many were renewed. A worker that died renews nothing,
    so its claims expire within one lease and another worker takes them."""

    def work(session: Session) -> int:
        renewed = session.execute(
            update(TriggeredWebhook)
            .where(
                TriggeredWebhook.lease_owner == owner,
                TriggeredWebhook.status.in_(events.PENDING_STATUSES),
            )
            .values(lease_expires_at=utc_now() + timedelta(seconds=lease_seconds))
        )
        return int(getattr(renewed, "rowcount", 0) or 0)

    return database.write(work)


def release_claims(database: Database, owner: str) -> int:
    """Hand the deliveries ``owner`` claimed but did not attempt back to the queue (a worker
    stopping), so another worker sends them now instead of after the lease expires."""

    def work(session: Session) -> int:
        released = session.execute(
            update(TriggeredWebhook)
            .where(
                TriggeredWebhook.lease_owner == owner,
                TriggeredWebhook.status.in_(events.PENDING_STATUSES),
            )
            .values(lease_owner=None, lease_expires_at=None)
        )
        return int(getattr(released, "rowcount", 0) or 0)

    return database.write(work)


def executions_of(session: Session, delivery_id: int) -> Sequence[WebhookExecution]:
    return session.scalars(
        select(WebhookExecution)
        .where(WebhookExecution.triggered_webhook_id == delivery_id)
        .order_by(WebhookExecution.id)
    ).all()
