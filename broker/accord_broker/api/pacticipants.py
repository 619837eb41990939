"""``/pacticipants``: list, create, read, update (PATCH/PUT) and delete pacticipants."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from accord_broker.api.bodies import json_object
from accord_broker.api.context import broker_of, urls_for
from accord_broker.api.hal import HalResponse, link
from accord_broker.api.render import render_pacticipant
from accord_broker.domain import pacticipants as domain

router = APIRouter()
JsonBody = Annotated[dict[str, Any], Depends(json_object)]


@router.get("/pacticipants")
def list_pacticipants(request: Request) -> HalResponse:
    urls = urls_for(request)
    with broker_of(request).database.read_session() as session:
        rendered = [render_pacticipant(session, urls, p) for p in domain.list_pacticipants(session)]
    deprecated = [
        {**p, "title": "DEPRECATED - Please use the embedded pacticipants collection"}
        for p in rendered
    ]
    return HalResponse(
        {
            "_embedded": {"pacticipants": rendered},
            "pacticipants": deprecated,
            "_links": {
                "self": link(urls.pacticipants()),
                "pb:pacticipants-with-label": link(
                    f"{urls.pacticipants()}/label/{{label}}", templated=True
                ),
                "pb:pacticipants": [
                    link(p["_links"]["self"]["href"], title="Pacticipant", name=p["name"])
                    for p in rendered
                ],
            },
        }
    )


@router.post("/pacticipants")
def create_pacticipant(request: Request, body: JsonBody) -> HalResponse:
    urls = urls_for(request)

    def work(session: Session) -> dict[str, Any]:
        pacticipant, _ = domain.create_pacticipant(session, body)
        return render_pacticipant(session, urls, pacticipant)

    rendered = broker_of(request).database.write(work)
    return HalResponse(
        rendered, status_code=201, headers={"Location": rendered["_links"]["self"]["href"]}
    )


@router.get("/pacticipants/{name:seg}")
def get_pacticipant(request: Request, name: str) -> HalResponse:
    with broker_of(request).database.read_session() as session:
        pacticipant = domain.get_pacticipant(session, name)
        return HalResponse(render_pacticipant(session, urls_for(request), pacticipant))


def _update(request: Request, name: str, body: dict[str, Any], *, replace: bool) -> HalResponse:
    urls = urls_for(request)

    def work(session: Session) -> tuple[dict[str, Any], bool]:
        if replace:
            domain.get_pacticipant(session, name)  # PUT does not create
        pacticipant, created = domain.update_pacticipant(session, name, body, replace=replace)
        return render_pacticipant(session, urls, pacticipant), created

    rendered, created = broker_of(request).database.write(work)
    headers = {"Location": rendered["_links"]["self"]["href"]} if created else None
    return HalResponse(rendered, status_code=201 if created else 200, headers=headers)


@router.patch("/pacticipants/{name:seg}")
def patch_pacticipant(request: Request, name: str, body: JsonBody) -> HalResponse:
    return _update(request, name, body, replace=False)


@router.put("/pacticipants/{name:seg}")
def put_pacticipant(request: Request, name: str, body: JsonBody) -> HalResponse:
    return _update(request, name, body, replace=True)


@router.delete("/pacticipants/{name:seg}")
def delete_pacticipant(request: Request, name: str) -> Response:
    broker_of(request).database.write(lambda session: domain.delete_pacticipant(session, name))
    return Response(status_code=204)
