"""Deployed and released versions: record-deployment/-undeployment, record-release/-support-ended.

Shapes follow the Pact Broker's decorators (broker.md §2.12, §2.13): the version resource's
``pb:record-deployment``/``pb:record-release`` links lead here, and ``PATCH`` with
``application/merge-patch+json`` ends a deployment or a release's support.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from accord_broker.api.bodies import UnsupportedMediaTypeError, json_object
from accord_broker.api.environments import render_environment
from accord_broker.api.hal import HalResponse, Urls, link, timestamp
from accord_broker.api.render import pacticipant_summary, timestamps
from accord_broker.domain import deployments, releases
from accord_broker.domain.environments import get_environment
from accord_broker.domain.names import check_text
from accord_broker.domain.records import Version
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.versions import get_version
from accord_broker.errors import BrokerInputError
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()
JsonBody = Annotated[dict[str, Any], Depends(json_object)]
V = "/pacticipants/{pacticipant:seg}/versions/{number:seg}"
MERGE_PATCH = "application/merge-patch+json"


def _embedded_version(urls: Urls, version: Version) -> dict[str, Any]:
    href = urls.version(version.pacticipant.name, version.number)
    return {
        "number": version.number,
        "_links": {"self": link(href, title="Version", name=version.number)},
    }


def _embedded(urls: Urls, item: deployments.Deployment | releases.Release) -> dict[str, Any]:
    return {
        "pacticipant": pacticipant_summary(urls, item.pacticipant),
        "version": _embedded_version(urls, item.version),
        "environment": render_environment(urls, item.environment),
    }


def render_deployment(urls: Urls, deployment: deployments.Deployment) -> dict[str, Any]:
    record = deployment.record
    return {
        "uuid": record.uuid,
        "currentlyDeployed": record.undeployed_at is None,
        "target": record.application_instance,
        "applicationInstance": record.application_instance,
        "undeployedAt": timestamp(record.undeployed_at) if record.undeployed_at else None,
        **timestamps(record.created_at, record.updated_at),
        "_embedded": _embedded(urls, deployment),
        "_links": {"self": link(f"{urls.base}/deployed-versions/{record.uuid}")},
    }


def render_release(urls: Urls, release: releases.Release) -> dict[str, Any]:
    record = release.record
    ended = record.support_ended_at
    return {
        "uuid": record.uuid,
        "currentlySupported": ended is None,
        **timestamps(record.created_at, record.updated_at),
        "supportEndedAt": timestamp(ended) if ended else None,
        "_embedded": _embedded(urls, release),
        "_links": {"self": link(f"{urls.base}/released-versions/{record.uuid}")},
    }


def _collection(key: str, items: list[dict[str, Any]], href: str, title: str) -> HalResponse:
    return HalResponse({"_embedded": {key: items}, "_links": {"self": link(href, title=title)}})


def _application_instance(body: dict[str, Any]) -> str | None:
    value = body.get("applicationInstance", body.get("target"))
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        message = "applicationInstance must be a string"
        raise BrokerInputError(message, errors={"applicationInstance": [message]})
    return check_text(value, "applicationInstance")  # one line, no NUL, at most 255


def _require_merge_patch(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != MERGE_PATCH:
        message = f"PATCH needs Content-Type {MERGE_PATCH}, not {content_type or 'none'!r}"
        raise UnsupportedMediaTypeError(message, errors={"body": [message]})


@router.post(V + "/deployed-versions/environment/{env_uuid:seg}")
def record_deployment(
    request: Request, pacticipant: str, number: str, env_uuid: str, body: JsonBody
) -> HalResponse:
    urls = urls_for(request)
    instance = _application_instance(body)

    def work(session: Session) -> dict[str, Any]:
        version = get_version(session, pacticipant, number)
        environment = get_environment(session, env_uuid)
        deployment = deployments.record_deployment(session, version, environment, instance)
        return render_deployment(urls, deployment)

    rendered = unit_of_work(request).write(work)
    href = rendered["_links"]["self"]["href"]
    return HalResponse(rendered, status_code=201, headers={"Location": href})


@router.get(V + "/deployed-versions/environment/{env_uuid:seg}")
def deployments_of_version(
    request: Request, pacticipant: str, number: str, env_uuid: str
) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        version = get_version(session, pacticipant, number)
        environment = get_environment(session, env_uuid)
        found = deployments.deployments_of_version(session, version, environment)
        items = [render_deployment(urls, d) for d in found]
        title = (
            f"Deployed versions for {pacticipant} version {number} "
            f"in environment {environment.display_name}"
        )
    return _collection("deployedVersions", items, str(request.url), title)


@router.get("/environments/{env_uuid:seg}/deployed-versions/currently-deployed")
def currently_deployed(request: Request, env_uuid: str) -> HalResponse:
    urls = urls_for(request)
    query = request.query_params
    instance: object = deployments.ANY_INSTANCE
    for key in ("applicationInstance", "target"):
        if key in query:
            instance = query[key] or None
            break
    with unit_of_work(request).read() as session:
        environment = get_environment(session, env_uuid)
        found = deployments.currently_deployed(
            session,
            environment,
            pacticipant=query.get("pacticipant"),
            application_instance=instance,
        )
        items = [render_deployment(urls, d) for d in found]
        title = f"Currently deployed versions for {environment.display_name}"
    return _collection("deployedVersions", items, str(request.url), title)


@router.get("/deployed-versions/{uuid:seg}")
def get_deployment(request: Request, uuid: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        deployment = deployments.get_deployment(session, uuid)
        return HalResponse(render_deployment(urls_for(request), deployment))


@router.patch("/deployed-versions/{uuid:seg}")
def patch_deployment(request: Request, uuid: str, body: JsonBody) -> HalResponse:
    _require_merge_patch(request)
    urls = urls_for(request)

    def work(session: Session) -> dict[str, Any]:
        deployment = deployments.get_deployment(session, uuid)
        if "currentlyDeployed" in body:
            deployments.set_currently_deployed(session, deployment, body["currentlyDeployed"])
        return render_deployment(urls, deployment)

    return HalResponse(unit_of_work(request).write(work))


@router.post(V + "/released-versions/environment/{env_uuid:seg}")
def record_release(
    request: Request, pacticipant: str, number: str, env_uuid: str, _body: JsonBody
) -> HalResponse:
    urls = urls_for(request)

    def work(session: Session) -> tuple[dict[str, Any], bool]:
        version = get_version(session, pacticipant, number)
        environment = get_environment(session, env_uuid)
        release, created = releases.record_release(session, version, environment)
        return render_release(urls, release), created

    rendered, created = unit_of_work(request).write(work)
    href = rendered["_links"]["self"]["href"]
    return HalResponse(rendered, status_code=201 if created else 200, headers={"Location": href})


@router.get(V + "/released-versions/environment/{env_uuid:seg}")
def releases_of_version(
    request: Request, pacticipant: str, number: str, env_uuid: str
) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        version = get_version(session, pacticipant, number)
        environment = get_environment(session, env_uuid)
        found = releases.find_release(session, version, environment)
        items = [render_release(urls, found)] if found is not None else []
        title = (
            f"Released versions for {version.pacticipant.display_name or pacticipant} "
            f"version {number} in {environment.display_name}"
        )
    return _collection("releasedVersions", items, str(request.url), title)


@router.get("/environments/{env_uuid:seg}/released-versions/currently-supported")
def currently_supported(request: Request, env_uuid: str) -> HalResponse:
    urls = urls_for(request)
    query = request.query_params
    with unit_of_work(request).read() as session:
        environment = get_environment(session, env_uuid)
        found = releases.currently_supported(
            session,
            environment,
            pacticipant=query.get("pacticipant"),
            version=query.get("version"),
        )
        items = [render_release(urls, r) for r in found]
        title = f"Released versions for {environment.display_name}"
    return _collection("releasedVersions", items, str(request.url), title)


@router.get("/released-versions/{uuid:seg}")
def get_release(request: Request, uuid: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        return HalResponse(render_release(urls_for(request), releases.get_release(session, uuid)))


@router.patch("/released-versions/{uuid:seg}")
def patch_release(request: Request, uuid: str, body: JsonBody) -> HalResponse:
    _require_merge_patch(request)
    urls = urls_for(request)

    def work(session: Session) -> dict[str, Any]:
        release = releases.get_release(session, uuid)
        if "currentlySupported" in body:
            releases.set_currently_supported(session, release, body["currentlySupported"])
        return render_release(urls, release)

    return HalResponse(unit_of_work(request).write(work))
