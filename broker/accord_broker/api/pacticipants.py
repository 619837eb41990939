"""``/pacticipants``: list, create, read, update (PATCH/PUT) and delete pacticipants."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from accord_broker.api.bodies import Unparsed, parsed, parsed_later
from accord_broker.api.hal import HalResponse, Urls, link
from accord_broker.api.render import PacticipantRenderer, render_pacticipant
from accord_broker.domain.pacticipants import pacticipants as domain
from accord_broker.domain.pacticipants import views
from accord_broker.domain.pacticipants.bodies import NewPacticipantBody, PacticipantBody
from accord_broker.domain.pacticipants.views import PacticipantView
from accord_broker.domain.unit_of_work import Session
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()
NewPacticipant = Annotated[NewPacticipantBody, Depends(parsed(NewPacticipantBody))]
PacticipantFields = Annotated[Unparsed[PacticipantBody], Depends(parsed_later(PacticipantBody))]
"""Checked inside the unit of work, after ``PUT``'s 404 for a pacticipant that is missing."""


@router.get("/pacticipants")
def list_pacticipants(request: Request) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        found = views.list_pacticipant_views(session)
    return HalResponse(render_pacticipant_list(urls, found, urls.pacticipants()))


def render_pacticipant_list(
    urls: Urls, found: Sequence[PacticipantView], self_href: str
) -> dict[str, Any]:
    """A pacticipant collection (all of them, or those with a label) in the Pact Broker's shape."""
    renderer = PacticipantRenderer(urls)
    rendered = [renderer.render(p) for p in found]
    deprecated = [
        {**p, "title": "DEPRECATED - Please use the embedded pacticipants collection"}
        for p in rendered
    ]
    return {
        "_embedded": {"pacticipants": rendered},
        "pacticipants": deprecated,
        "_links": {
            "self": link(self_href),
            "pb:pacticipants-with-label": link(
                f"{urls.pacticipants()}/label/{{label}}", templated=True
            ),
            "pb:pacticipants": [p["_links"]["self"] for p in rendered],
        },
    }


@router.post("/pacticipants")
def create_pacticipant(request: Request, body: NewPacticipant) -> HalResponse:
    urls = urls_for(request)

    def work(session: Session) -> PacticipantView:
        return views.create_pacticipant(session, body)

    rendered = render_pacticipant(urls, unit_of_work(request).write(work))
    return HalResponse(
        rendered, status_code=201, headers={"Location": rendered["_links"]["self"]["href"]}
    )


@router.get("/pacticipants/{name:seg}")
def get_pacticipant(request: Request, name: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        pacticipant = views.pacticipant_view(session, name)
    return HalResponse(render_pacticipant(urls_for(request), pacticipant))


def _update(
    request: Request, name: str, body: Unparsed[PacticipantBody], *, replace: bool
) -> HalResponse:
    urls = urls_for(request)

    def work(session: Session) -> tuple[PacticipantView, bool]:
        if replace:
            domain.get_pacticipant(session, name)  # PUT does not create: 404 before 400
        return views.update_pacticipant(session, name, body.parse(), replace=replace)

    pacticipant, created = unit_of_work(request).write(work)
    rendered = render_pacticipant(urls, pacticipant)
    headers = {"Location": rendered["_links"]["self"]["href"]} if created else None
    return HalResponse(rendered, status_code=201 if created else 200, headers=headers)


@router.patch("/pacticipants/{name:seg}")
def patch_pacticipant(request: Request, name: str, body: PacticipantFields) -> HalResponse:
    return _update(request, name, body, replace=False)


@router.put("/pacticipants/{name:seg}")
def put_pacticipant(request: Request, name: str, body: PacticipantFields) -> HalResponse:
    return _update(request, name, body, replace=True)


@router.delete("/pacticipants/{name:seg}")
def delete_pacticipant(request: Request, name: str) -> Response:
    unit_of_work(request).write(lambda session: domain.delete_pacticipant(session, name))
    return Response(status_code=204)
