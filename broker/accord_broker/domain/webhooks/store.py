"""Webhook definitions in the database: create, replace, find, list and delete."""

import json
import secrets
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Pacticipant
from accord_broker.db.types import utc_now
from accord_broker.db.webhook_models import Webhook
from accord_broker.domain.pacticipants.pacticipants import find_pacticipant
from accord_broker.domain.webhooks.definition import (
    RequestTemplate,
    Scope,
    WebhookDefinition,
    check_uuid,
)
from accord_broker.errors import BrokerInputError, BrokerNotFoundError


def new_uuid() -> str:
    """22 URL-safe characters, the shape of the Pact Broker's webhook ids."""
    return secrets.token_urlsafe(16)


def _scope_id(session: Session, scope: Scope | None, role: str) -> int | None:
    if scope is None or scope.name is None:
        return None
    found = find_pacticipant(session, scope.name)
    if found is None:
        message = f"No pacticipant with name '{scope.name}' found"
        raise BrokerInputError(message, errors={f"{role}.name": [message]})
    return found.id


def _apply(session: Session, webhook: Webhook, definition: WebhookDefinition) -> None:
    request = definition.request
    webhook.description = definition.description
    webhook.consumer_id = _scope_id(session, definition.consumer, "consumer")
    webhook.provider_id = _scope_id(session, definition.provider, "provider")
    webhook.consumer_label = definition.consumer.label if definition.consumer else None
    webhook.provider_label = definition.provider.label if definition.provider else None
    webhook.enabled = definition.enabled
    webhook.events = list(definition.events)
    webhook.method = request.method
    webhook.url = request.url
    webhook.headers = dict(request.headers) or None
    webhook.body = request.body
    webhook.body_is_json = request.body_is_json
    webhook.username = request.username
    webhook.password = request.password
    webhook.updated_at = utc_now()


def create_webhook(
    session: Session, definition: WebhookDefinition, uuid: str | None = None
) -> Webhook:
    if uuid is not None:
        check_uuid(uuid)
    now = utc_now()
    webhook = Webhook(uuid=uuid or new_uuid(), created_at=now)
    _apply(session, webhook, definition)
    webhook.updated_at = now
    session.add(webhook)
    session.flush()
    return webhook


def find_webhook(session: Session, uuid: str) -> Webhook | None:
    return session.scalar(select(Webhook).where(Webhook.uuid == uuid))


def get_webhook(session: Session, uuid: str) -> Webhook:
    found = find_webhook(session, uuid)
    if found is None:
        raise BrokerNotFoundError(f"No webhook with uuid '{uuid}' found")
    return found


def upsert_webhook(
    session: Session, uuid: str, definition: WebhookDefinition
) -> tuple[Webhook, bool]:
    """Replace the webhook ``uuid`` (``False``), or create it with that uuid (``True``)."""
    check_uuid(uuid)
    existing = find_webhook(session, uuid)
    if existing is None:
        return create_webhook(session, definition, uuid), True
    _apply(session, existing, definition)
    session.flush()
    return existing, False


def delete_webhook(session: Session, uuid: str) -> None:
    """Delete the webhook and (through the foreign keys) its triggered webhooks and logs."""
    webhook = get_webhook(session, uuid)
    session.execute(delete(Webhook).where(Webhook.id == webhook.id))


def list_webhooks(
    session: Session, *, consumer: Pacticipant | None = None, provider: Pacticipant | None = None
) -> Sequence[Webhook]:
    """All webhooks, or those scoped to exactly this consumer and/or provider."""
    query = select(Webhook).order_by(Webhook.id)
    if consumer is not None:
        query = query.where(Webhook.consumer_id == consumer.id)
    if provider is not None:
        query = query.where(Webhook.provider_id == provider.id)
    return session.scalars(query).all()


def _scope_of(session: Session, pacticipant_id: int | None, label: str | None) -> Scope | None:
    if pacticipant_id is not None:
        found = session.get(Pacticipant, pacticipant_id)
        return Scope(name=found.name) if found is not None else None
    return Scope(label=label) if label is not None else None


def definition_of(session: Session, webhook: Webhook) -> WebhookDefinition:
    """The stored webhook as a definition (scopes by name or label)."""
    return WebhookDefinition(
        request=RequestTemplate(
            method=webhook.method,
            url=webhook.url,
            headers=dict(webhook.headers or {}),
            body=webhook.body,
            body_is_json=webhook.body_is_json,
            username=webhook.username,
            password=webhook.password,
        ),
        events=tuple(webhook.events),
        description=webhook.description,
        consumer=_scope_of(session, webhook.consumer_id, webhook.consumer_label),
        provider=_scope_of(session, webhook.provider_id, webhook.provider_label),
        enabled=webhook.enabled,
    )


def body_as_given(webhook: Webhook) -> object:
    """The request body as the client sent it: JSON back as JSON, text as text."""
    if webhook.body is None:
        return None
    return json.loads(webhook.body) if webhook.body_is_json else webhook.body
