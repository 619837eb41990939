"""Webhooks, their deliveries and their executions as the API renders them: frozen read models.

Secrets are redacted here, before anything leaves the domain: header values, URL query values
and user-info, body values that look secret (unless they are templates such as
``${user.GITLAB_TOKEN}``), and the basic-auth password all read ``**********``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord_broker.db.models import Pacticipant
from accord_broker.db.webhook_models import TriggeredWebhook, Webhook
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant, get_pacticipants
from accord_broker.domain.pacts.pacts import find_pact_version
from accord_broker.domain.verifications.verifications import get_verification
from accord_broker.domain.versions.versions import get_version
from accord_broker.domain.webhooks import history, store
from accord_broker.domain.webhooks.definition import RequestTemplate, Scope, WebhookDefinition
from accord_broker.domain.webhooks.queue import RetrySchedule, executions_of
from accord_broker.domain.webhooks.redaction import (
    REDACTED,
    redact_body_value,
    redact_headers,
    redact_url,
)
from accord_broker.domain.webhooks.templates import uses_variables


@dataclass(frozen=True, slots=True)
class WebhookView:
    """A stored webhook, its request already redacted (keys in the Pact Broker's order)."""

    uuid: str
    title: str
    """Its description, or ``METHOD host`` when it has none."""
    consumer: Scope | None
    provider: Scope | None
    enabled: bool
    request: dict[str, Any]
    events: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WebhookLink:
    """What a webhook list shows of each webhook."""

    uuid: str
    title: str


@dataclass(frozen=True, slots=True)
class TriggeredWebhookView:
    """One delivery of a webhook for an event, with the attempts it has left."""

    uuid: str
    name: str | None
    """The webhook's ``METHOD host``."""
    webhook_uuid: str | None
    status: str
    attempts_made: int
    attempts_remaining: int
    trigger_type: str
    event_name: str
    triggered_at: datetime


@dataclass(frozen=True, slots=True)
class ExecutionView:
    """One attempt at a delivery: its outcome and log (redacted when written)."""

    success: bool
    logs: str
    created_at: datetime


def _request_of(webhook: Webhook) -> RequestTemplate:
    return RequestTemplate(method=webhook.method, url=webhook.url)


def _title(webhook: Webhook) -> str:
    if webhook.description and webhook.description.strip():
        return webhook.description
    return _request_of(webhook).description()


def _redacted_request(webhook: Webhook) -> dict[str, Any]:
    request: dict[str, Any] = {"method": webhook.method, "url": redact_url(webhook.url)}
    if webhook.headers:
        request["headers"] = redact_headers(webhook.headers)
    if webhook.body is not None:
        request["body"] = redact_body_value(store.body_as_given(webhook))
    if webhook.username is not None:
        request["username"] = webhook.username
    if webhook.password is not None:
        password = webhook.password
        request["password"] = password if uses_variables(password) else REDACTED
    return request


def view_of(session: Session, webhook: Webhook) -> WebhookView:
    """The read model of a stored webhook (its scopes' pacticipant names looked up)."""
    definition = store.definition_of(session, webhook)
    return WebhookView(
        uuid=webhook.uuid,
        title=_title(webhook),
        consumer=definition.consumer,
        provider=definition.provider,
        enabled=webhook.enabled,
        request=_redacted_request(webhook),
        events=tuple(webhook.events),
        created_at=webhook.created_at,
        updated_at=webhook.updated_at,
    )


def webhook_view(session: Session, uuid: str) -> WebhookView:
    return view_of(session, store.get_webhook(session, uuid))


def create_webhook(session: Session, definition: WebhookDefinition) -> WebhookView:
    return view_of(session, store.create_webhook(session, definition))


def upsert_webhook(
    session: Session, uuid: str, definition: WebhookDefinition
) -> tuple[WebhookView, bool]:
    """Replace the webhook, or create it with this uuid; ``True`` when created."""
    webhook, created = store.upsert_webhook(session, uuid, definition)
    return view_of(session, webhook), created


def stored_definition(session: Session, uuid: str) -> WebhookDefinition:
    """The webhook with ``uuid`` as a definition (to execute it), or a 404."""
    return store.definition_of(session, store.get_webhook(session, uuid))


def webhook_links(
    session: Session, *, consumer: str | None = None, provider: str | None = None
) -> list[WebhookLink]:
    """All webhooks, or those scoped to exactly this consumer and/or provider (404 if unknown)."""
    found_consumer: Pacticipant | None
    found_provider: Pacticipant | None
    if consumer and provider:
        found_consumer, found_provider = get_pacticipants(
            session, (consumer, "consumer"), (provider, "provider")
        )
    else:
        found_consumer = get_pacticipant(session, consumer, "consumer") if consumer else None
        found_provider = get_pacticipant(session, provider, "provider") if provider else None
    found = store.list_webhooks(session, consumer=found_consumer, provider=found_provider)
    return [WebhookLink(w.uuid, _title(w)) for w in found]


def _triggered_views(
    session: Session, found: Iterable[TriggeredWebhook], schedule: RetrySchedule
) -> list[TriggeredWebhookView]:
    found = list(found)
    webhooks = history.webhooks_of(session, found)
    views = []
    for triggered in found:
        webhook = webhooks.get(triggered.webhook_id)
        status, attempts = triggered.status, triggered.attempts_made
        views.append(
            TriggeredWebhookView(
                uuid=triggered.uuid,
                name=_request_of(webhook).description() if webhook is not None else None,
                webhook_uuid=webhook.uuid if webhook is not None else None,
                status=status,
                attempts_made=attempts,
                attempts_remaining=schedule.remaining(status, attempts),
                trigger_type=triggered.trigger_type,
                event_name=triggered.event_name,
                triggered_at=triggered.created_at,
            )
        )
    return views


def triggered_for_pact(
    session: Session, provider: str, consumer: str, number: str, schedule: RetrySchedule
) -> list[TriggeredWebhookView]:
    """Deliveries triggered by any revision of the pact this consumer version published."""
    version = get_version(session, consumer, number)
    found_provider = get_pacticipant(session, provider, "provider")
    found = history.triggered_for_consumer_version(session, version.id, found_provider.id)
    return _triggered_views(session, found, schedule)


def triggered_for_verification(
    session: Session,
    provider: str,
    consumer: str,
    sha: str,
    *,
    number: int,
    schedule: RetrySchedule,
) -> list[TriggeredWebhookView]:
    """Deliveries triggered by result ``number`` of the pact version ``sha`` (404 if missing)."""
    pact_version = find_pact_version(session, provider, consumer, sha)
    verification = get_verification(session, pact_version, number)
    found = history.triggered_for_verification(session, verification)
    return _triggered_views(session, found, schedule)


def latest_triggered_between(
    session: Session, provider: str, consumer: str, schedule: RetrySchedule
) -> list[TriggeredWebhookView]:
    """The newest delivery per (webhook, event) for the pair: what its webhook status shows."""
    found_consumer, found_provider = get_pacticipants(
        session, (consumer, "consumer"), (provider, "provider")
    )
    found = history.latest_triggered_between(session, found_consumer.id, found_provider.id)
    return _triggered_views(session, found, schedule)


def executions_of_triggered(session: Session, uuid: str) -> list[ExecutionView]:
    """Every attempt of the delivery ``uuid``, oldest first (404 if there is no such delivery)."""
    triggered = history.get_triggered(session, uuid)
    return [
        ExecutionView(e.success, e.logs, e.created_at) for e in executions_of(session, triggered.id)
    ]
