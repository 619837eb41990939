"""Reading triggered webhooks back: per pact, per verification, the latest per webhook."""

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord_broker.db.models import PactPublication, Verification
from accord_broker.db.webhook_models import TriggeredWebhook, Webhook
from accord_broker.errors import BrokerNotFoundError


def get_triggered(session: Session, uuid: str) -> TriggeredWebhook:
    found = session.scalar(select(TriggeredWebhook).where(TriggeredWebhook.uuid == uuid))
    if found is None:
        raise BrokerNotFoundError(f"No triggered webhook with uuid '{uuid}' found")
    return found


def triggered_for_consumer_version(
    session: Session, consumer_version_id: int, provider_id: int
) -> Sequence[TriggeredWebhook]:
    """Deliveries triggered by any revision of the pact this consumer version published."""
    publications = select(PactPublication.id).where(
        PactPublication.consumer_version_id == consumer_version_id,
        PactPublication.provider_id == provider_id,
    )
    return session.scalars(
        select(TriggeredWebhook)
        .where(TriggeredWebhook.pact_publication_id.in_(publications))
        .order_by(TriggeredWebhook.id)
    ).all()


def triggered_for_verification(
    session: Session, verification: Verification
) -> Sequence[TriggeredWebhook]:
    return session.scalars(
        select(TriggeredWebhook)
        .where(TriggeredWebhook.verification_id == verification.id)
        .order_by(TriggeredWebhook.id)
    ).all()


def latest_triggered_between(
    session: Session, consumer_id: int, provider_id: int
) -> Sequence[TriggeredWebhook]:
    """The newest delivery per (webhook, event) for a pair: what its webhook status shows."""
    newest = (
        select(func.max(TriggeredWebhook.id))
        .where(
            TriggeredWebhook.consumer_id == consumer_id,
            TriggeredWebhook.provider_id == provider_id,
        )
        .group_by(TriggeredWebhook.webhook_id, TriggeredWebhook.event_name)
    )
    return session.scalars(
        select(TriggeredWebhook)
        .where(TriggeredWebhook.id.in_(newest))
        .order_by(TriggeredWebhook.id)
    ).all()


def webhooks_of(session: Session, found: Iterable[TriggeredWebhook]) -> dict[int, Webhook]:
    """The webhooks of these deliveries by id, in one statement: looked up one by one, each
    was a statement of its own, and the same webhook was read again for every delivery of it
    (the session's identity map holds objects weakly: nothing kept the first one alive)."""
    ids = sorted({t.webhook_id for t in found})
    if not ids:
        return {}
    return {w.id: w for w in session.scalars(select(Webhook).where(Webhook.id.in_(ids)))}
