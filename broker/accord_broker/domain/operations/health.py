"""What operators ask of the storage itself: does the database answer, how far behind are the
webhooks. Read by the readiness endpoint and by the metrics scrape; both run a single small
statement, so asking often costs the database nothing."""

from dataclasses import dataclass

from sqlalchemy import func, select, text

from accord_broker.db.types import utc_now
from accord_broker.db.webhook_models import TriggeredWebhook
from accord_broker.domain.unit_of_work import UnitOfWork
from accord_broker.domain.webhooks import events


@dataclass(frozen=True, slots=True)
class DeliveryBacklog:
    """Deliveries waiting for an attempt, and how long the oldest has been due."""

    depth: int
    oldest_age_seconds: float


def ping_database(uow: UnitOfWork) -> None:
    """Run ``SELECT 1``; raises whatever the driver raises when the database cannot answer."""
    with uow.read() as session:
        session.execute(text("SELECT 1")).scalar_one()


def delivery_backlog(uow: UnitOfWork) -> DeliveryBacklog:
    """The webhook queue's depth and the age of its oldest due delivery (uses the status
    index)."""
    with uow.read() as session:
        depth, oldest = session.execute(
            select(func.count(), func.min(TriggeredWebhook.next_attempt_at)).where(
                TriggeredWebhook.status.in_(events.PENDING_STATUSES)
            )
        ).one()
    age = 0.0
    if oldest is not None:
        age = max(0.0, (utc_now() - oldest).total_seconds())
    return DeliveryBacklog(depth=int(depth), oldest_age_seconds=age)
