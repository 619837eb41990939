"""HAL bodies of webhooks, triggered webhooks and executions (the Pact Broker's JSON shapes).

Secrets never leave, whoever asks: header values, URL query values and user-info, and body
values that look secret are ``**********`` (unless they are templates such as
``${user.GITLAB_TOKEN}``), and so is the basic-auth password. A stored webhook's request comes
redacted in its read model (``domain/webhooks/views.py``); a test execution's is redacted here.
"""

from collections.abc import Sequence
from typing import Any

from accord_broker.api.hal import Urls, link, segment, timestamp
from accord_broker.domain.webhooks.definition import Scope
from accord_broker.domain.webhooks.execution import ExecutionResult
from accord_broker.domain.webhooks.redaction import redact_body, redact_headers, redact_url
from accord_broker.domain.webhooks.views import TriggeredWebhookView, WebhookLink, WebhookView


def webhooks_url(urls: Urls) -> str:
    return f"{urls.base}/webhooks"


def webhook_url(urls: Urls, uuid: str) -> str:
    return f"{urls.base}/webhooks/{segment(uuid)}"


def pact_webhooks_url(urls: Urls, provider: str, consumer: str) -> str:
    return f"{urls.base}/webhooks/provider/{segment(provider)}/consumer/{segment(consumer)}"


def logs_url(urls: Urls, triggered_uuid: str) -> str:
    return f"{urls.base}/triggered-webhooks/{segment(triggered_uuid)}/logs"


def _scope(scope: Scope | None) -> dict[str, str] | None:
    if scope is None:
        return None
    return {"name": scope.name} if scope.name is not None else {"label": scope.label or ""}


def render_webhook(urls: Urls, webhook: WebhookView) -> dict[str, Any]:
    title = webhook.title
    body: dict[str, Any] = {"uuid": webhook.uuid, "description": title}
    for role, scope in (("consumer", webhook.consumer), ("provider", webhook.provider)):
        rendered = _scope(scope)
        if rendered is not None:
            body[role] = rendered
    body |= {
        "enabled": webhook.enabled,
        "request": webhook.request,
        "events": [{"name": name} for name in webhook.events],
        "createdAt": timestamp(webhook.created_at),
    }
    if timestamp(webhook.updated_at) != body["createdAt"]:
        body["updatedAt"] = timestamp(webhook.updated_at)
    links: dict[str, Any] = {
        "self": link(webhook_url(urls, webhook.uuid), title=title),
        "pb:execute": link(
            webhook_url(urls, webhook.uuid) + "/execute",
            title="Test the execution of the webhook with the latest matching pact or "
            "verification by sending a POST request to this URL",
        ),
    }
    for role, scope in (("consumer", webhook.consumer), ("provider", webhook.provider)):
        if scope is not None and scope.name is not None:
            links[f"pb:{role}"] = link(
                urls.pacticipant(scope.name), title=role.capitalize(), name=scope.name
            )
        elif scope is not None and scope.label is not None:
            links[f"pb:{role}s"] = link(
                f"{urls.pacticipants()}/label/{segment(scope.label)}",
                title=f"{role.capitalize()}s by label",
                name=scope.label,
            )
    consumer, provider = webhook.consumer, webhook.provider
    if consumer and provider and consumer.name and provider.name:
        links["pb:pact-webhooks"] = link(
            pact_webhooks_url(urls, provider.name, consumer.name),
            title=f"All webhooks for consumer {consumer.name} and provider {provider.name}",
        )
    links["pb:webhooks"] = link(webhooks_url(urls), title="All webhooks")
    body["_links"] = links
    return body


def render_webhook_list(urls: Urls, href: str, webhooks: Sequence[WebhookLink]) -> dict[str, Any]:
    return {
        "_links": {
            "self": link(href, title="Webhooks"),
            "pb:create": link(href, title="POST to create a webhook"),
            "pb:webhooks": [
                link(webhook_url(urls, w.uuid), title=w.title, name=w.title) for w in webhooks
            ],
        },
    }


def render_triggered(urls: Urls, triggered: TriggeredWebhookView) -> dict[str, Any]:
    name = triggered.name
    logs = link(logs_url(urls, triggered.uuid), title="Webhook execution logs", name=name)
    links: dict[str, Any] = {
        "pb:logs": logs,
        "logs": {**logs, "title": "DEPRECATED - Use pb:logs"},
    }
    if triggered.webhook_uuid is not None:
        links["pb:webhook"] = link(
            webhook_url(urls, triggered.webhook_uuid), title="Webhook", name=name
        )
    return {
        "name": name,
        "uuid": triggered.uuid,
        "status": triggered.status,
        "attemptsMade": triggered.attempts_made,
        "attemptsRemaining": triggered.attempts_remaining,
        "triggerType": triggered.trigger_type,
        "eventName": triggered.event_name,
        "triggeredAt": timestamp(triggered.triggered_at),
        "_links": links,
    }


def render_execution(
    urls: Urls, result: ExecutionResult, *, webhook_uuid: str | None, href: str, show_response: bool
) -> dict[str, Any]:
    """The body of ``POST /webhooks/{uuid}/execute``: what was sent, what came back, the log."""
    request = result.request
    body: dict[str, Any] = {
        "request": {
            "headers": result.redacted_request_headers(),
            "body": redact_body(request.body),
            "url": redact_url(request.url),
        },
        "logs": result.logs,
        "success": result.success,
    }
    if show_response:
        if result.response is not None:
            body["response"] = {
                "status": result.response.status,
                "headers": redact_headers(dict(result.response.headers)),
                "body": result.response.body,
            }
        if result.error is not None:
            body["error"] = {"message": result.error}
    else:
        body["message"] = (
            "For security purposes, the response details are not logged. To enable response "
            "logging, configure ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS."
        )
    links: dict[str, Any] = {"try-again": link(href, title="Execute the webhook again")}
    if webhook_uuid is not None:
        links["webhook"] = link(webhook_url(urls, webhook_uuid))
    body["_links"] = links
    return body
