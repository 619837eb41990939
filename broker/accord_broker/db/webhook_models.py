"""The webhook tables: definitions, the persisted delivery queue, and execution logs.

* ``Webhook`` (``webhooks``): what to call and when. ``consumer_id``/``provider_id`` scope it to
  one pacticipant (or ``consumer_label``/``provider_label`` to every pacticipant with a label);
  unscoped webhooks fire for every pair. ``events`` is the list of event names it listens to.
  ``body`` is the request body template as text; ``body_is_json`` says it was given as JSON, so it
  is served back as JSON and rendered value by value (the output stays valid JSON).
* ``TriggeredWebhook`` (``triggered_webhooks``): one delivery owed, written in the same
  transaction as the publication or verification that caused it, so a delivery is never lost
  nor sent for a rolled-back event. It is the queue: ``status`` is ``not_run`` → ``retrying`` →
  ``success``/``failure``; ``next_attempt_at`` says when it is due; a worker *claims* a due row
  by setting ``lease_owner``/``lease_expires_at`` (an expired lease is claimable again, so a
  delivery whose worker died is resumed). ``event_context`` holds what the template needs that
  is not in the rows it points at (base URL, event name, versions picked at trigger time).
* ``WebhookExecution`` (``webhook_executions``): one attempt and its (redacted) log.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord_broker.db.models import _ID, NAME, Base
from accord_broker.db.types import UtcDateTime, utc_now

UUID_LENGTH = 64


class Webhook(Base):
    __tablename__ = "webhooks"
    __table_args__ = (
        Index("ix_webhooks_consumer_id", "consumer_id"),
        Index("ix_webhooks_provider_id", "provider_id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(UUID_LENGTH), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    consumer_id: Mapped[int | None] = mapped_column(
        ForeignKey("pacticipants.id", ondelete="CASCADE")
    )
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("pacticipants.id", ondelete="CASCADE")
    )
    consumer_label: Mapped[str | None] = mapped_column(String(NAME))
    provider_label: Mapped[str | None] = mapped_column(String(NAME))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    events: Mapped[list[str]] = mapped_column(JSON)
    method: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    body: Mapped[str | None] = mapped_column(Text)
    body_is_json: Mapped[bool] = mapped_column(Boolean, default=False)
    username: Mapped[str | None] = mapped_column(Text)
    password: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class TriggeredWebhook(Base):
    __tablename__ = "triggered_webhooks"
    __table_args__ = (
        Index("ix_triggered_webhooks_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_triggered_webhooks_webhook_id", "webhook_id"),
        Index("ix_triggered_webhooks_pact_publication_id", "pact_publication_id"),
        Index("ix_triggered_webhooks_verification_id", "verification_id"),
        Index("ix_triggered_webhooks_consumer_id_provider_id", "consumer_id", "provider_id"),
        Index("ix_triggered_webhooks_provider_id", "provider_id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    webhook_uuid: Mapped[str] = mapped_column(String(UUID_LENGTH))
    trigger_type: Mapped[str] = mapped_column(String(32))
    event_name: Mapped[str] = mapped_column(String(64))
    event_context: Mapped[dict[str, Any]] = mapped_column(JSON)
    pact_publication_id: Mapped[int | None] = mapped_column(
        ForeignKey("pact_publications.id", ondelete="CASCADE")
    )
    verification_id: Mapped[int | None] = mapped_column(
        ForeignKey("verifications.id", ondelete="CASCADE")
    )
    consumer_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    attempts_made: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class WebhookExecution(Base):
    __tablename__ = "webhook_executions"
    __table_args__ = (Index("ix_webhook_executions_triggered_webhook_id", "triggered_webhook_id"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    triggered_webhook_id: Mapped[int] = mapped_column(
        ForeignKey("triggered_webhooks.id", ondelete="CASCADE")
    )
    success: Mapped[bool] = mapped_column(Boolean)
    logs: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
