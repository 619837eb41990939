"""The webhooks pages' read models: every webhook with its last delivery, and one webhook with
its recent deliveries, each execution's log.

Everything shown goes through the redaction of ``domain.webhooks.redaction`` (the same the API
uses): URLs lose their credentials and secret-looking query values, secret-looking headers and
JSON body fields show ``**********``, the basic-auth password is never shown. Execution logs are
redacted when they are written (``domain.webhooks.execution``) and shown as stored. The list is
three statements however many webhooks there are (no per-webhook lookups of scope names).
"""

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import Pacticipant
from accord_broker.db.webhook_models import TriggeredWebhook, Webhook, WebhookExecution
from accord_broker.domain.webhooks.redaction import (
    redact_body_value,
    redact_headers,
    redact_url,
)
from accord_broker.domain.webhooks.store import body_as_given, get_webhook

DELIVERIES_SHOWN = 20
"""The newest deliveries a webhook's page lists (with their executions)."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One triggered delivery: why (event), for which pair, how it went, and its attempts."""

    uuid: str
    event: str
    status: str
    consumer: str
    provider: str
    attempts: int
    created_at: datetime
    executions: list["Execution"] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Execution:
    success: bool
    at: datetime
    logs: str


@dataclass(frozen=True, slots=True)
class WebhookSummary:
    uuid: str
    description: str
    enabled: bool
    events: list[str]
    method: str
    url: str
    """Redacted."""
    consumer: str | None
    provider: str | None
    last_delivery: Delivery | None = None


@dataclass(frozen=True, slots=True)
class WebhookDetail:
    summary: WebhookSummary
    headers: dict[str, str]
    """Redacted."""
    body: str | None
    """Redacted, indented when JSON."""
    username: str | None
    has_password: bool
    deliveries: list[Delivery]


def _scope(name: str | None, label: str | None) -> str | None:
    if name is not None:
        return name
    return f"label: {label}" if label is not None else None


def _description(webhook: Webhook) -> str:
    if webhook.description and webhook.description.strip():
        return webhook.description
    return f"{webhook.method} {redact_url(webhook.url)}"


def _summaries(session: Session, webhooks: list[Webhook]) -> list[WebhookSummary]:
    ids = {w.consumer_id for w in webhooks} | {w.provider_id for w in webhooks}
    ids.discard(None)
    found = session.execute(select(Pacticipant.id, Pacticipant.name).where(Pacticipant.id.in_(ids)))
    names: dict[int, str] = {int(pid): str(name) for pid, name in found.all()}
    last = _last_deliveries(session, [w.id for w in webhooks])
    return [
        WebhookSummary(
            uuid=w.uuid,
            description=_description(w),
            enabled=w.enabled,
            events=list(w.events),
            method=w.method,
            url=redact_url(w.url),
            consumer=_scope(names.get(w.consumer_id) if w.consumer_id else None, w.consumer_label),
            provider=_scope(names.get(w.provider_id) if w.provider_id else None, w.provider_label),
            last_delivery=last.get(w.id),
        )
        for w in webhooks
    ]


_CONSUMER = aliased(Pacticipant, name="delivery_consumer")
_PROVIDER = aliased(Pacticipant, name="delivery_provider")
_DELIVERIES = (
    select(
        TriggeredWebhook.id,
        TriggeredWebhook.webhook_id,
        TriggeredWebhook.uuid,
        TriggeredWebhook.event_name,
        TriggeredWebhook.status,
        _CONSUMER.name,
        _PROVIDER.name,
        TriggeredWebhook.attempts_made,
        TriggeredWebhook.created_at,
    )
    .join(_CONSUMER, _CONSUMER.id == TriggeredWebhook.consumer_id)
    .join(_PROVIDER, _PROVIDER.id == TriggeredWebhook.provider_id)
)
"""Built once: a statement over fresh ``aliased()`` entities cost ~0.5 ms to build on every
request, more than running it (statements are immutable, so each use adds its own WHERE)."""


def _deliveries_query() -> Any:
    return _DELIVERIES


def _delivery(row: Any) -> Delivery:
    _, _, uuid, event, status, consumer, provider, attempts, created = row
    return Delivery(uuid, event, status, consumer, provider, int(attempts or 0), created)


def _last_deliveries(session: Session, webhook_ids: list[int]) -> dict[int, Delivery]:
    if not webhook_ids:
        return {}
    newest = (
        select(func.max(TriggeredWebhook.id))
        .where(TriggeredWebhook.webhook_id.in_(webhook_ids))
        .group_by(TriggeredWebhook.webhook_id)
    )
    rows = session.execute(_deliveries_query().where(TriggeredWebhook.id.in_(newest))).all()
    return {int(row[1]): _delivery(row) for row in rows}


def load_webhooks(session: Session) -> list[WebhookSummary]:
    """Every webhook (oldest first, as the API lists them) with its newest delivery."""
    return _summaries(session, list(session.scalars(select(Webhook).order_by(Webhook.id))))


def _body_text(webhook: Webhook) -> str | None:
    body = redact_body_value(body_as_given(webhook))
    if body is None:
        return None
    if isinstance(body, str):
        return body
    return json.dumps(body, indent=2, ensure_ascii=False)


def load_webhook(session: Session, uuid: str) -> WebhookDetail:
    """One webhook, redacted, with its newest deliveries and each delivery's executions.
    Raises ``BrokerNotFoundError`` for an unknown uuid."""
    webhook = get_webhook(session, uuid)
    (summary,) = _summaries(session, [webhook])
    rows = session.execute(
        _deliveries_query()
        .where(TriggeredWebhook.webhook_id == webhook.id)
        .order_by(TriggeredWebhook.id.desc())
        .limit(DELIVERIES_SHOWN)
    ).all()
    executions: dict[int, list[Execution]] = {int(row[0]): [] for row in rows}
    if executions:
        for triggered_id, success, at, logs in session.execute(
            select(
                WebhookExecution.triggered_webhook_id,
                WebhookExecution.success,
                WebhookExecution.created_at,
                WebhookExecution.logs,
            )
            .where(WebhookExecution.triggered_webhook_id.in_(list(executions)))
            .order_by(WebhookExecution.id.desc())
        ).all():
            executions[int(triggered_id)].append(Execution(bool(success), at, logs))
    deliveries = [replace(_delivery(row), executions=executions[int(row[0])]) for row in rows]
    return WebhookDetail(
        summary=summary,
        headers=redact_headers(dict(webhook.headers or {})),
        body=_body_text(webhook),
        username=webhook.username,
        has_password=webhook.password is not None,
        deliveries=deliveries,
    )
