"""``/environments``: create, list, read, replace and delete environments (HAL as the Pact Broker).

The official CLI finds an environment by ``name`` in the list's ``_links["pb:environments"]``,
then follows the environment's ``pb:currently-deployed-deployed-versions`` and
``pb:currently-supported-released-versions`` links (clients.md §5).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from accord_broker.api.bodies import Unparsed, parsed, parsed_later
from accord_broker.api.hal import HalResponse, Urls, link
from accord_broker.api.render import timestamps
from accord_broker.domain.deployments import environments as domain
from accord_broker.domain.deployments.bodies import EnvironmentBody
from accord_broker.domain.deployments.environments import EnvironmentView
from accord_broker.domain.matrix.facts import EnvironmentFact
from accord_broker.domain.unit_of_work import Session
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()
NewEnvironment = Annotated[EnvironmentBody, Depends(parsed(EnvironmentBody))]
ReplacedEnvironment = Annotated[Unparsed[EnvironmentBody], Depends(parsed_later(EnvironmentBody))]


def render_embedded_environment(
    urls: Urls, env: EnvironmentView | EnvironmentFact
) -> dict[str, Any]:
    """The short form embedded in matrix rows."""
    return {
        "uuid": env.uuid,
        "name": env.name,
        "displayName": env.display_name,
        "production": env.production,
        **timestamps(env.created_at, env.updated_at),
        "_links": {"self": link(urls.environment(env.uuid), title="Environment", name=env.name)},
    }


def render_environment(urls: Urls, env: EnvironmentView) -> dict[str, Any]:
    href = urls.environment(env.uuid)
    shown = env.display_name or env.name
    body: dict[str, Any] = {
        "uuid": env.uuid,
        "name": env.name,
        "displayName": env.display_name,
        "production": env.production,
    }
    if env.contacts is not None:
        body["contacts"] = [
            {"name": c.get("name"), **({"details": c["details"]} if "details" in c else {})}
            for c in env.contacts
        ]
    body.update(timestamps(env.created_at, env.updated_at))
    body["_links"] = {
        "self": link(href, title="Environment", name=env.name),
        "pb:currently-deployed-deployed-versions": link(
            f"{href}/deployed-versions/currently-deployed",
            title=f"Versions currently deployed to {shown} environment",
        ),
        "pb:currently-supported-released-versions": link(
            f"{href}/released-versions/currently-supported",
            title=f"Versions released and supported in {shown} environment",
        ),
        "pb:environments": link(f"{urls.base}/environments", title="Environments"),
    }
    return body


@router.get("/environments")
def list_environments(request: Request, name: str | None = None) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        found = domain.list_environments(session, name)
        rendered = [render_environment(urls, env) for env in found]
    self_href = f"{urls.base}/environments"
    return HalResponse(
        {
            "_embedded": {"environments": rendered},
            "_links": {
                "self": link(self_href, title="Environments"),
                "pb:environments": [
                    link(urls.environment(env["uuid"]), title="Environment", name=env["name"])
                    for env in rendered
                ],
            },
        }
    )


@router.post("/environments")
def create_environment(request: Request, body: NewEnvironment) -> HalResponse:
    fields = domain.environment_fields(body)
    urls = urls_for(request)

    def work(session: Session) -> dict[str, Any]:
        return render_environment(urls, domain.create_environment(session, fields))

    rendered = unit_of_work(request).write(work)
    href = rendered["_links"]["self"]["href"]
    return HalResponse(rendered, status_code=201, headers={"Location": href})


@router.get("/environments/{uuid:seg}")
def get_environment(request: Request, uuid: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        env = domain.environment_view(session, uuid)
    return HalResponse(render_environment(urls_for(request), env))


@router.put("/environments/{uuid:seg}")
def replace_environment(request: Request, uuid: str, body: ReplacedEnvironment) -> HalResponse:
    urls = urls_for(request)

    def work(session: Session) -> dict[str, Any]:
        domain.get_environment(session, uuid)  # 404 before 400: PUT never creates
        fields = domain.environment_fields(body.parse())
        return render_environment(urls, domain.update_environment(session, uuid, fields))

    return HalResponse(unit_of_work(request).write(work))


@router.delete("/environments/{uuid:seg}")
def delete_environment(request: Request, uuid: str) -> Response:
    unit_of_work(request).write(lambda s: domain.delete_environment(s, uuid))
    return Response(status_code=204)
