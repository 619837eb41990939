"""Webhooks over HTTP: CRUD, test execution, triggered webhooks and their logs.

Paths and bodies are the Pact Broker's (research broker.md §2.14), so ``pact broker
create-webhook`` / ``create-or-update-webhook`` / ``test-webhook`` work unchanged.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import PlainTextResponse

from accord_broker.api.bodies import parsed
from accord_broker.api.hal import HalResponse, Urls, link, segment
from accord_broker.api.render_webhooks import (
    pact_webhooks_url,
    render_execution,
    render_triggered,
    render_webhook,
    render_webhook_list,
    webhook_url,
    webhooks_url,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.webhooks import events, policy_from_settings, worker_config_from_settings
from accord_broker.domain.webhooks import views as webhook_views
from accord_broker.domain.webhooks.body import WebhookBody
from accord_broker.domain.webhooks.definition import (
    Scope,
    WebhookDefinition,
    webhook_definition,
)
from accord_broker.domain.webhooks.execution import execute
from accord_broker.domain.webhooks.manual import render_for_test
from accord_broker.domain.webhooks.store import delete_webhook
from accord_broker.domain.webhooks.views import TriggeredWebhookView, WebhookView
from accord_broker.web.context import broker_of, unit_of_work, urls_for

router = APIRouter()
SentWebhook = Annotated[WebhookBody, Depends(parsed(WebhookBody))]
PAIR = "/webhooks/provider/{provider:seg}/consumer/{consumer:seg}"
PACT = "/pacts/provider/{provider:seg}/consumer/{consumer:seg}"


def _definition(request: Request, body: WebhookBody) -> WebhookDefinition:
    return webhook_definition(body, policy_from_settings(broker_of(request).settings))


def _created(request: Request, definition: WebhookDefinition) -> HalResponse:
    urls = urls_for(request)

    def work(session: Session) -> WebhookView:
        return webhook_views.create_webhook(session, definition)

    rendered = render_webhook(urls, unit_of_work(request).write(work))
    return HalResponse(
        rendered, status_code=201, headers={"Location": rendered["_links"]["self"]["href"]}
    )


def _scoped(definition: WebhookDefinition, consumer: str | None, provider: str | None) -> Any:
    """``definition`` with the consumer/provider named by the URL (they win over the body)."""
    return WebhookDefinition(
        request=definition.request,
        events=definition.events,
        description=definition.description,
        consumer=Scope(name=consumer) if consumer is not None else definition.consumer,
        provider=Scope(name=provider) if provider is not None else definition.provider,
        enabled=definition.enabled,
    )


def _list(
    request: Request, href: str, consumer: str | None = None, provider: str | None = None
) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        webhooks = webhook_views.webhook_links(session, consumer=consumer, provider=provider)
    return HalResponse(render_webhook_list(urls, href, webhooks))


def _create_scoped(
    request: Request, body: WebhookBody, consumer: str | None, provider: str | None
) -> HalResponse:
    definition = _scoped(_definition(request, body), consumer, provider)
    with unit_of_work(request).read() as session:
        if consumer is not None:
            get_pacticipant(session, consumer, "consumer")
        if provider is not None:
            get_pacticipant(session, provider, "provider")
    return _created(request, definition)


@router.get("/webhooks")
def all_webhooks(request: Request) -> HalResponse:
    return _list(request, webhooks_url(urls_for(request)))


@router.post("/webhooks")
def create(request: Request, body: SentWebhook) -> HalResponse:
    return _created(request, _definition(request, body))


@router.post("/webhooks/execute")
def execute_unsaved(request: Request, body: SentWebhook) -> HalResponse:
    return _execute(request, _definition(request, body), None)


@router.get(PAIR)
def pair_webhooks(request: Request, provider: str, consumer: str) -> HalResponse:
    href = pact_webhooks_url(urls_for(request), provider, consumer)
    return _list(request, href, consumer, provider)


@router.post(PAIR)
def create_for_pair(
    request: Request, provider: str, consumer: str, body: SentWebhook
) -> HalResponse:
    return _create_scoped(request, body, consumer, provider)


@router.get(PACT + "/webhooks")
def pact_webhooks(request: Request, provider: str, consumer: str) -> HalResponse:
    href = f"{urls_for(request).pacts_between(provider, consumer)}/webhooks"
    return _list(request, href, consumer, provider)


@router.get("/webhooks/provider/{provider:seg}")
def provider_webhooks(request: Request, provider: str) -> HalResponse:
    href = f"{webhooks_url(urls_for(request))}/provider/{segment(provider)}"
    return _list(request, href, provider=provider)


@router.post("/webhooks/provider/{provider:seg}")
def create_for_provider(request: Request, provider: str, body: SentWebhook) -> HalResponse:
    return _create_scoped(request, body, None, provider)


@router.get("/webhooks/consumer/{consumer:seg}")
def consumer_webhooks(request: Request, consumer: str) -> HalResponse:
    href = f"{webhooks_url(urls_for(request))}/consumer/{segment(consumer)}"
    return _list(request, href, consumer=consumer)


@router.post("/webhooks/consumer/{consumer:seg}")
def create_for_consumer(request: Request, consumer: str, body: SentWebhook) -> HalResponse:
    return _create_scoped(request, body, consumer, None)


@router.get("/webhooks/{uuid:seg}")
def get_one(request: Request, uuid: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        webhook = webhook_views.webhook_view(session, uuid)
    return HalResponse(render_webhook(urls_for(request), webhook))


@router.put("/webhooks/{uuid:seg}")
def put_one(request: Request, uuid: str, body: SentWebhook) -> HalResponse:
    """Replace the webhook, or create it with this uuid (``create-or-update-webhook``)."""
    definition = _definition(request, body)
    urls = urls_for(request)

    def work(session: Session) -> tuple[WebhookView, bool]:
        return webhook_views.upsert_webhook(session, uuid, definition)

    webhook, created = unit_of_work(request).write(work)
    rendered = render_webhook(urls, webhook)
    if created:
        location = {"Location": rendered["_links"]["self"]["href"]}
        return HalResponse(rendered, status_code=201, headers=location)
    return HalResponse(rendered)


@router.delete("/webhooks/{uuid:seg}")
def delete_one(request: Request, uuid: str) -> Response:
    unit_of_work(request).write(lambda session: delete_webhook(session, uuid))
    return Response(status_code=204)


@router.post("/webhooks/{uuid:seg}/execute")
def execute_saved(request: Request, uuid: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        definition = webhook_views.stored_definition(session, uuid)
    return _execute(request, definition, uuid)


def _execute(request: Request, definition: WebhookDefinition, uuid: str | None) -> HalResponse:
    """Render with the latest matching pact/verification and send now (event ``test``)."""
    broker = broker_of(request)
    urls = urls_for(request)
    with broker.uow.read() as session:
        rendered = render_for_test(session, definition, urls.base)
    config = worker_config_from_settings(broker.settings)
    result = execute(rendered, config.policy, config.timeout_seconds, config.secrets)
    href = f"{webhook_url(urls, uuid)}/execute" if uuid else f"{webhooks_url(urls)}/execute"
    body = render_execution(
        urls, result, webhook_uuid=uuid, href=href, show_response=bool(config.policy.hosts)
    )
    return HalResponse(body)


def _triggered_list(
    urls: Urls, request: Request, title: str, found: list[TriggeredWebhookView]
) -> dict[str, Any]:
    return {
        "_embedded": {"triggeredWebhooks": [render_triggered(urls, t) for t in found]},
        "_links": {"self": link(str(request.url), title=title)},
    }


@router.get(PACT + "/version/{number:seg}/triggered-webhooks")
def pact_triggered_webhooks(
    request: Request, provider: str, consumer: str, number: str
) -> HalResponse:
    urls = urls_for(request)
    schedule = worker_config_from_settings(broker_of(request).settings).schedule
    with unit_of_work(request).read() as session:
        found = webhook_views.triggered_for_pact(session, provider, consumer, number, schedule)
    title = f"Webhooks triggered by the publication of the pact for {consumer} version {number}"
    return HalResponse(_triggered_list(urls, request, title, found))


@router.get(PACT + "/pact-version/{sha:seg}/verification-results/{number:seg}/triggered-webhooks")
def verification_triggered_webhooks(
    request: Request, provider: str, consumer: str, sha: str, number: str
) -> HalResponse:
    urls = urls_for(request)
    schedule = worker_config_from_settings(broker_of(request).settings).schedule
    result = int(number) if number.isascii() and number.isdigit() else -1
    with unit_of_work(request).read() as session:
        found = webhook_views.triggered_for_verification(
            session, provider, consumer, sha, number=result, schedule=schedule
        )
    title = f"Webhooks triggered by the publication of verification result {number}"
    return HalResponse(_triggered_list(urls, request, title, found))


@router.get(PACT + "/webhooks/status")
def webhook_status(request: Request, provider: str, consumer: str) -> HalResponse:
    """The latest delivery per webhook and event for the pair, and a summary of their states."""
    urls = urls_for(request)
    schedule = worker_config_from_settings(broker_of(request).settings).schedule
    with unit_of_work(request).read() as session:
        latest = webhook_views.latest_triggered_between(session, provider, consumer, schedule)
    rendered = [render_triggered(urls, t) for t in latest]
    counts = {status: sum(t.status == status for t in latest) for status in events.ALL_STATUSES}
    summary = {
        "successful": counts[events.SUCCESS],
        "failed": counts[events.FAILURE],
        "retrying": counts[events.RETRYING],
        "notRun": counts[events.NOT_RUN],
    }
    error_logs = [r["_links"]["pb:logs"] for r in rendered if r["status"] == events.FAILURE]
    pact_url = urls.pacts_between(provider, consumer)
    return HalResponse(
        {
            "summary": summary,
            "_embedded": {"triggeredWebhooks": rendered},
            "_links": {
                "self": link(f"{pact_url}/webhooks/status", title="Webhooks status"),
                "pb:error-logs": error_logs,
                "pb:pact-webhooks": link(
                    pact_webhooks_url(urls, provider, consumer), title="Webhooks for the pact"
                ),
                "pb:consumer": link(urls.pacticipant(consumer), title="Consumer", name=consumer),
                "pb:provider": link(urls.pacticipant(provider), title="Provider", name=provider),
            },
        }
    )


@router.get("/triggered-webhooks/{uuid:seg}/logs")
def triggered_logs(request: Request, uuid: str) -> PlainTextResponse:
    """Every attempt's log, oldest first (secrets already redacted when written)."""
    with unit_of_work(request).read() as session:
        logs = [e.logs for e in webhook_views.executions_of_triggered(session, uuid)]
    text = "\n".join(logs) if logs else f"Triggered webhook {uuid} has not run yet.\n"
    return PlainTextResponse(text, media_type="text/plain;charset=utf-8")
