"""Deployed and released versions: record-deployment/-undeployment, record-release/-support-ended.

Shapes follow the Pact Broker's decorators (broker.md §2.12, §2.13): the version resource's
``pb:record-deployment``/``pb:record-release`` links lead here, and ``PATCH`` with
``application/merge-patch+json`` ends a deployment or a release's support. Both kinds are
served by one set of handlers, registered once per :class:`KindRoutes` (the URLs, collection
key and titles that differ are data there; the rules live in ``domain/deployments/deployments.py``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from accord_broker.api.bodies import UnsupportedMediaTypeError, parsed
from accord_broker.api.environments import render_environment
from accord_broker.api.hal import HalResponse, Urls, link, segment, timestamp
from accord_broker.api.query_docs import CURRENT_PLACEMENTS_QUERY
from accord_broker.api.render import pacticipant_summary
from accord_broker.domain.deployments import deployments, placement_views
from accord_broker.domain.deployments.bodies import DeploymentBody, PlacementPatchBody
from accord_broker.domain.deployments.deployments import DEPLOYED, RELEASED, Kind
from accord_broker.domain.deployments.environments import EnvironmentView
from accord_broker.domain.deployments.placement_views import PlacementsOfVersion, PlacementView
from accord_broker.domain.unit_of_work import Session
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()
SentPatch = Annotated[PlacementPatchBody, Depends(parsed(PlacementPatchBody))]
SentDeployment = Annotated[DeploymentBody, Depends(parsed(DeploymentBody))]
V = "/pacticipants/{pacticipant:seg}/versions/{number:seg}"
MERGE_PATCH = "application/merge-patch+json"


@dataclass(frozen=True, slots=True)
class KindRoutes:
    """How one kind appears over HTTP: path segment, JSON keys, titles and handler names.

    ``names`` are the handlers' route names (record, of-version, current, get, patch), kept
    as they were so that operation ids and the API docs do not change.
    """

    kind: Kind
    segment: str
    current_path: str
    collection: str
    ended_key: str
    status_when_existing: int
    names: tuple[str, str, str, str, str]
    of_version_title: Callable[[str, str, PlacementsOfVersion], str]
    current_title: Callable[[EnvironmentView], str]


DEPLOYED_ROUTES = KindRoutes(
    kind=DEPLOYED,
    segment="deployed-versions",
    current_path="currently-deployed",
    collection="deployedVersions",
    ended_key="undeployedAt",
    status_when_existing=201,
    names=(
        "record_deployment",
        "deployments_of_version",
        "currently_deployed",
        "get_deployment",
        "patch_deployment",
    ),
    of_version_title=lambda pacticipant, number, found: (
        f"Deployed versions for {pacticipant} version {number} "
        f"in environment {found.environment.display_name}"
    ),
    current_title=lambda environment: f"Currently deployed versions for {environment.display_name}",
)
RELEASED_ROUTES = KindRoutes(
    kind=RELEASED,
    segment="released-versions",
    current_path="currently-supported",
    collection="releasedVersions",
    ended_key="supportEndedAt",
    status_when_existing=200,
    names=(
        "record_release",
        "releases_of_version",
        "currently_supported",
        "get_release",
        "patch_release",
    ),
    of_version_title=lambda pacticipant, number, found: (
        f"Released versions for {found.pacticipant_display_name or pacticipant} "
        f"version {number} in {found.environment.display_name}"
    ),
    current_title=lambda environment: f"Released versions for {environment.display_name}",
)
ROUTES = {DEPLOYED.name: DEPLOYED_ROUTES, RELEASED.name: RELEASED_ROUTES}


class PlacementRenderer:
    """Renders deployed-version or released-version resources, sharing what a list repeats.

    A list of an environment's current records names one environment and a few pacticipants
    a hundred times over; their embedded bodies are built once per list and the same dicts
    appear in every item (the JSON is the same as rendering each item on its own; nothing
    changes a rendered body after it is built).
    """

    def __init__(self, urls: Urls) -> None:
        self._urls = urls
        self._environment: tuple[EnvironmentView, dict[str, Any]] | None = None
        self._pacticipants: dict[tuple[str, str | None], tuple[dict[str, Any], str]] = {}

    def _embedded_environment(self, environment: EnvironmentView) -> dict[str, Any]:
        known = self._environment
        if known is None or known[0] is not environment:
            known = self._environment = (environment, render_environment(self._urls, environment))
        return known[1]

    def _pacticipant(self, name: str, display_name: str | None) -> tuple[dict[str, Any], str]:
        """The pacticipant's embedded summary and its versions' URL prefix."""
        known = self._pacticipants.get((name, display_name))
        if known is None:
            summary = pacticipant_summary(self._urls, name, display_name)
            known = (summary, summary["_links"]["self"]["href"] + "/versions/")
            self._pacticipants[name, display_name] = known
        return known

    def render(self, placement: PlacementView) -> dict[str, Any]:
        """A deployed-version or released-version resource, fields in the Pact Broker's order."""
        routes = ROUTES[placement.kind.name]
        ended = placement.ended_at
        ended_field = {routes.ended_key: timestamp(ended) if ended else None}
        rendered: dict[str, Any] = {"uuid": placement.uuid, placement.kind.flag: ended is None}
        if placement.kind.per_instance:
            instance = placement.application_instance
            rendered |= {"target": instance, "applicationInstance": instance, **ended_field}
        created = timestamp(placement.created_at)
        rendered["createdAt"] = created
        if placement.updated_at is not None:
            updated = timestamp(placement.updated_at)
            if updated != created:
                rendered["updatedAt"] = updated
        if not placement.kind.per_instance:
            rendered |= ended_field
        summary, versions_prefix = self._pacticipant(
            placement.pacticipant, placement.pacticipant_display_name
        )
        number = placement.version
        version_link = {
            "href": versions_prefix + segment(number),
            "title": "Version",
            "name": number,
        }
        rendered["_embedded"] = {
            "pacticipant": summary,
            "version": {"number": number, "_links": {"self": version_link}},
            "environment": self._embedded_environment(placement.environment),
        }
        rendered["_links"] = {
            "self": {"href": f"{self._urls.base}/{routes.segment}/{placement.uuid}"}
        }
        return rendered


def render_placement(urls: Urls, placement: PlacementView) -> dict[str, Any]:
    """One deployed-version or released-version resource."""
    return PlacementRenderer(urls).render(placement)


def _collection(key: str, items: list[dict[str, Any]], href: str, title: str) -> HalResponse:
    return HalResponse({"_embedded": {key: items}, "_links": {"self": link(href, title=title)}})


def _instance_filter(request: Request) -> object:
    """``?applicationInstance=`` (or ``?target=``); empty means "without an instance"."""
    query = request.query_params
    for key in ("applicationInstance", "target"):
        if key in query:
            return query[key] or None
    return deployments.ANY_INSTANCE


def _require_merge_patch(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != MERGE_PATCH:
        message = f"PATCH needs Content-Type {MERGE_PATCH}, not {content_type or 'none'!r}"
        raise UnsupportedMediaTypeError(message, errors={"body": [message]})


def _register(routes: KindRoutes) -> None:
    """Add the five handlers of one kind to the router (same paths and names as ever)."""
    kind = routes.kind
    record_name, of_version_name, current_name, get_name, patch_name = routes.names
    on_version = f"{V}/{routes.segment}/environment/{{env_uuid:seg}}"
    by_uuid = f"/{routes.segment}/{{uuid:seg}}"

    def record(
        request: Request, pacticipant: str, number: str, env_uuid: str, body: SentDeployment
    ) -> HalResponse:
        urls = urls_for(request)
        instance = body.instance if kind.per_instance else None

        def work(session: Session) -> tuple[PlacementView, bool]:
            return placement_views.record_placement(
                session, kind, pacticipant, number, env_uuid, application_instance=instance
            )

        placement, created = unit_of_work(request).write(work)
        rendered = render_placement(urls, placement)
        href = rendered["_links"]["self"]["href"]
        status = 201 if created else routes.status_when_existing
        return HalResponse(rendered, status_code=status, headers={"Location": href})

    def of_version(request: Request, pacticipant: str, number: str, env_uuid: str) -> HalResponse:
        urls = urls_for(request)
        with unit_of_work(request).read() as session:
            found = placement_views.placements_of_version(
                session, kind, pacticipant, number, env_uuid
            )
        renderer = PlacementRenderer(urls)
        items = [renderer.render(p) for p in found.placements]
        title = routes.of_version_title(pacticipant, number, found)
        return _collection(routes.collection, items, str(request.url), title)

    def current(request: Request, env_uuid: str) -> HalResponse:
        urls = urls_for(request)
        query = request.query_params
        with unit_of_work(request).read() as session:
            environment, found = placement_views.current_placements(
                session,
                kind,
                env_uuid,
                pacticipant=query.get("pacticipant"),
                version=None if kind.per_instance else query.get("version"),
                application_instance=_instance_filter(request),
            )
        renderer = PlacementRenderer(urls)
        items = [renderer.render(p) for p in found]
        title = routes.current_title(environment)
        return _collection(routes.collection, items, str(request.url), title)

    def get(request: Request, uuid: str) -> HalResponse:
        with unit_of_work(request).read() as session:
            placement = placement_views.placement_view(session, kind, uuid)
        return HalResponse(render_placement(urls_for(request), placement))

    def patch(request: Request, uuid: str, body: SentPatch) -> HalResponse:
        _require_merge_patch(request)
        urls = urls_for(request)
        sets_flag, value = body.sent(kind.flag)

        def work(session: Session) -> PlacementView:
            if sets_flag:
                return placement_views.set_placement_current(session, kind, uuid, value)
            return placement_views.placement_view(session, kind, uuid)

        return HalResponse(render_placement(urls, unit_of_work(request).write(work)))

    router.add_api_route(on_version, record, methods=["POST"], name=record_name)
    router.add_api_route(on_version, of_version, methods=["GET"], name=of_version_name)
    current_path = f"/environments/{{env_uuid:seg}}/{routes.segment}/{routes.current_path}"
    router.add_api_route(
        current_path,
        current,
        methods=["GET"],
        name=current_name,
        openapi_extra=CURRENT_PLACEMENTS_QUERY,
    )
    router.add_api_route(by_uuid, get, methods=["GET"], name=get_name)
    router.add_api_route(by_uuid, patch, methods=["PATCH"], name=patch_name)


for _routes in (DEPLOYED_ROUTES, RELEASED_ROUTES):
    _register(_routes)
