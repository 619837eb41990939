"""The broker-wide resources of the Pact Broker: integrations, dashboard and metrics.

``GET /integrations`` (``pb:integrations``) lists every consumer → provider pair with links to
its dashboard, matrix, group and deletion; ``DELETE /integrations`` removes all of them and
``DELETE /integrations/provider/{p}/consumer/{c}`` one. ``/dashboard`` is the index's data as
JSON and ``/metrics`` (``pb:metrics``) the Pact Broker's JSON of counts. The ``/groups/{name}``
CSV a ``pb:group`` link leads to is in :mod:`accord_broker.api.relationships`.
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from accord_broker.api.hal import HalResponse, Urls, link, segment, timestamp
from accord_broker.domain.integrations import integrations as domain
from accord_broker.domain.integrations.integration_status import Status
from accord_broker.domain.integrations.overview import IntegrationRow, VersionLabel, network_rows
from accord_broker.domain.operations.metrics import broker_metrics
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()

_VERIFICATION_STATUS = {Status.FAILED_PENDING: "failed"}
"""The dashboard's ``verificationStatus`` words where accord's status names differ."""


def _integration_url(urls: Urls, provider: str, consumer: str) -> str:
    return f"{urls.base}/integrations/provider/{segment(provider)}/consumer/{segment(consumer)}"


def _render_integration(urls: Urls, item: domain.IntegrationSummary) -> dict[str, Any]:
    consumer, provider = item.consumer, item.provider
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "createdAt": timestamp(item.created_at),
        "_links": {
            "pb:dashboard": link(
                f"{urls.base}/dashboard/provider/{segment(provider)}/consumer/{segment(consumer)}",
                title="BETA: Pacts to show on the dashboard",
            ),
            "pb:matrix": link(
                f"{urls.base}/matrix/provider/{segment(provider)}/consumer/{segment(consumer)}",
                title=f"Matrix of pacts/verification results for {consumer} and {provider}",
            ),
            "pb:group": link(f"{urls.base}/groups/{segment(consumer)}"),
            "pb:delete_integration": link(
                _integration_url(urls, provider, consumer),
                title=f"Delete the integration between {consumer} and {provider}",
            ),
        },
    }


@router.get("/integrations")
def list_integrations(request: Request) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        found = domain.list_integrations(session)
    return HalResponse(
        {
            "_embedded": {"integrations": [_render_integration(urls, i) for i in found]},
            "_links": {"self": link(f"{urls.base}/integrations", title="All integrations")},
        }
    )


@router.delete("/integrations")
def delete_all_integrations(request: Request) -> Response:
    unit_of_work(request).write(domain.delete_all_integrations)
    return Response(status_code=204)


@router.delete("/integrations/provider/{provider:seg}/consumer/{consumer:seg}")
def delete_integration(request: Request, provider: str, consumer: str) -> Response:
    unit_of_work(request).write(
        lambda session: domain.delete_integration(session, provider, consumer)
    )
    return Response(status_code=204)


def _dashboard_version(urls: Urls, pacticipant: str, version: VersionLabel) -> dict[str, Any]:
    return {
        "number": version.number,
        "branch": version.branches[-1] if version.branches else None,
        "headBranchNames": list(version.branches),
        "_links": {"self": link(urls.version(pacticipant, version.number))},
    }


def _pact_tags(urls: Urls, consumer: str, version: VersionLabel | None) -> list[dict[str, Any]]:
    if version is None:
        return []
    return [
        {
            "name": tag,
            "latest": True,
            "_links": {"self": link(urls.tag(consumer, version.number, tag))},
        }
        for tag in version.tags
    ]


def _dashboard_item(urls: Urls, row: IntegrationRow) -> dict[str, Any]:
    """One dashboard item; fields accord cannot fill yet (webhook status) say so plainly."""
    consumer_version, provider_version = row.consumer_version, row.provider_version
    pact: dict[str, Any] | None = None
    if consumer_version is not None and row.pact_published_at is not None:
        href = urls.pact_for_version(row.provider, row.consumer, consumer_version.number)
        pact = {"createdAt": timestamp(row.pact_published_at), "_links": {"self": link(href)}}
    result = row.verification
    return {
        "consumer": {
            "name": row.consumer,
            "version": _dashboard_version(urls, row.consumer, consumer_version)
            if consumer_version
            else None,
            "_links": {"self": link(urls.pacticipant(row.consumer))},
        },
        "provider": {
            "name": row.provider,
            "version": _dashboard_version(urls, row.provider, provider_version)
            if provider_version
            else None,
            "_links": {"self": link(urls.pacticipant(row.provider))},
        },
        "pact": pact,
        "pactTags": _pact_tags(urls, row.consumer, consumer_version),
        "latestVerificationResult": None
        if result is None
        else {"success": result.success, "verifiedAt": timestamp(result.verified_at)},
        "verificationStatus": _VERIFICATION_STATUS.get(row.status, row.status.value),
        "_links": {
            "pb:webhook-status": link(
                f"{urls.pacts_between(row.provider, row.consumer)}/webhooks/status",
                title=f"Status of webhooks for {row.consumer}/{row.provider} pact",
            )
        },
    }


def _dashboard(request: Request, provider: str | None, consumer: str | None) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        rows = network_rows(session, consumer)
    if provider is not None:
        rows = [row for row in rows if row.provider == provider and row.consumer == consumer]
    return HalResponse({"items": [_dashboard_item(urls, row) for row in rows]})


@router.get("/dashboard")
def dashboard(request: Request) -> HalResponse:
    """The index's data as JSON, one item per integration (the Pact Broker's ``/dashboard``)."""
    return _dashboard(request, None, None)


@router.get("/dashboard/provider/{provider:seg}/consumer/{consumer:seg}")
def integration_dashboard(request: Request, provider: str, consumer: str) -> HalResponse:
    return _dashboard(request, provider, consumer)


@router.get("/metrics")
def metrics(request: Request) -> HalResponse:
    """``pb:metrics``: the Pact Broker's JSON of counts (Prometheus metrics live elsewhere)."""
    return HalResponse(broker_metrics(unit_of_work(request)))
