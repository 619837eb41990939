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
from accord_broker.domain.integrations.dashboard import DashboardItem, dashboard_items
from accord_broker.domain.integrations.integration_status import Status
from accord_broker.domain.integrations.overview import VersionLabel
from accord_broker.domain.operations.metrics import broker_metrics
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()

_VERIFICATION_STATUS = {Status.FAILED_PENDING: "failed"}
"""The dashboard's ``verificationStatus`` words where accord's status names differ."""


def _render_integration(urls: Urls, item: domain.IntegrationSummary) -> dict[str, Any]:
    consumer, provider = item.consumer, item.provider
    consumer_segment, provider_segment = segment(consumer), segment(provider)
    pair = f"/provider/{provider_segment}/consumer/{consumer_segment}"
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "createdAt": timestamp(item.created_at),
        "_links": {
            "pb:dashboard": {
                "href": f"{urls.base}/dashboard{pair}",
                "title": "BETA: Pacts to show on the dashboard",
            },
            "pb:matrix": {
                "href": f"{urls.base}/matrix{pair}",
                "title": f"Matrix of pacts/verification results for {consumer} and {provider}",
            },
            "pb:group": {"href": f"{urls.base}/groups/{consumer_segment}"},
            "pb:delete_integration": {
                "href": f"{urls.base}/integrations{pair}",
                "title": f"Delete the integration between {consumer} and {provider}",
            },
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


class _DashboardRenderer:
    """Renders dashboard items, what they share built once per answer.

    A hundred integrations name each pacticipant a few times over and each provider version
    twice: each pacticipant's link object and versions' URL prefix and each shown version's
    object are built the first time and reused (the same objects sit in several items; nothing
    changes them after). An item was 8.5 us of dict building, segment quoting and method calls,
    the route's largest Python cost (issue #20).
    """

    def __init__(self, urls: Urls) -> None:
        self._base = urls.base
        self._pacticipants: dict[str, tuple[dict[str, Any], str]] = {}
        self._versions: dict[tuple[str, VersionLabel], dict[str, Any]] = {}

    def _pacticipant(self, name: str) -> tuple[dict[str, Any], str]:
        """The pacticipant's ``_links`` and its versions' URL prefix."""
        known = self._pacticipants.get(name)
        if known is None:
            href = f"{self._base}/pacticipants/{segment(name)}"
            known = self._pacticipants[name] = ({"self": {"href": href}}, f"{href}/versions/")
        return known

    def _side(self, name: str, version: VersionLabel | None) -> dict[str, Any]:
        links, versions = self._pacticipant(name)
        shown = None
        if version is not None:
            shown = self._versions.get((name, version))
            if shown is None:
                branches = version.branches
                shown = self._versions[name, version] = {
                    "number": version.number,
                    "branch": branches[-1] if branches else None,
                    "headBranchNames": list(branches),
                    "_links": {"self": {"href": versions + segment(version.number)}},
                }
        return {"name": name, "version": shown, "_links": links}

    def render(self, item: DashboardItem) -> dict[str, Any]:
        """One dashboard item; fields accord cannot fill yet (webhook status) say so plainly."""
        consumer, provider = item.consumer, item.provider
        consumer_version = item.consumer_version
        pacts_between = (
            f"{self._base}/pacts/provider/{segment(provider)}/consumer/{segment(consumer)}"
        )
        pact: dict[str, Any] | None = None
        tags: list[dict[str, Any]] = []
        if consumer_version is not None:
            number = segment(consumer_version.number)
            if item.pact_published_at is not None:
                pact = {
                    "createdAt": timestamp(item.pact_published_at),
                    "_links": {"self": {"href": f"{pacts_between}/version/{number}"}},
                }
            if consumer_version.tags:
                version_href = self._pacticipant(consumer)[1] + number
                tags = [
                    {
                        "name": tag,
                        "latest": True,
                        "_links": {"self": {"href": f"{version_href}/tags/{segment(tag)}"}},
                    }
                    for tag in consumer_version.tags
                ]
        result = item.verification
        return {
            "consumer": self._side(consumer, consumer_version),
            "provider": self._side(provider, item.provider_version),
            "pact": pact,
            "pactTags": tags,
            "latestVerificationResult": None
            if result is None
            else {"success": result.success, "verifiedAt": timestamp(result.verified_at)},
            "verificationStatus": _VERIFICATION_STATUS.get(item.status, item.status.value),
            "_links": {
                "pb:webhook-status": {
                    "href": f"{pacts_between}/webhooks/status",
                    "title": f"Status of webhooks for {consumer}/{provider} pact",
                }
            },
        }


def _dashboard(request: Request, pair: tuple[str, str] | None) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        items = dashboard_items(session, pair)
    renderer = _DashboardRenderer(urls)
    return HalResponse({"items": [renderer.render(item) for item in items]})


@router.get("/dashboard")
def dashboard(request: Request) -> HalResponse:
    """The index's data as JSON, one item per integration (the Pact Broker's ``/dashboard``)."""
    return _dashboard(request, None)


@router.get("/dashboard/provider/{provider:seg}/consumer/{consumer:seg}")
def integration_dashboard(request: Request, provider: str, consumer: str) -> HalResponse:
    return _dashboard(request, (provider, consumer))


@router.get("/metrics")
def metrics(request: Request) -> HalResponse:
    """``pb:metrics``: the Pact Broker's JSON of counts (Prometheus metrics live elsewhere)."""
    return HalResponse(broker_metrics(unit_of_work(request)))
