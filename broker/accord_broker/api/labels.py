"""Labels at the Pact Broker's paths: on a pacticipant, who carries one, and every name in use.

``PUT /pacticipants/{name}/labels/{label}`` (body ignored) adds, ``DELETE`` removes,
``GET /pacticipants/label/{label}`` lists the pacticipants carrying it (``pb:pacticipants-with-
label``) and ``GET /labels`` every label name, as ``pact broker`` and the HAL browser expect.
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from accord_broker.api.hal import HalResponse, Urls, link, segment
from accord_broker.api.pacticipants import render_pacticipant_list
from accord_broker.api.render import timestamps
from accord_broker.domain.pacticipants import labels as domain
from accord_broker.domain.pacticipants.labels import PacticipantLabel
from accord_broker.domain.pacticipants.views import pacticipant_views_with_label
from accord_broker.domain.unit_of_work import Session
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()
LABEL = "/pacticipants/{pacticipant:seg}/labels/{label:seg}"


def label_url(urls: Urls, pacticipant: str, label: str) -> str:
    return f"{urls.pacticipant(pacticipant)}/labels/{segment(label)}"


def render_label(urls: Urls, label: PacticipantLabel) -> dict[str, Any]:
    """The Pact Broker's label resource: its name, timestamps, itself and its pacticipant."""
    return {
        "name": label.name,
        **timestamps(label.created_at),
        "_links": {
            "self": link(
                label_url(urls, label.pacticipant, label.name), title="Label", name=label.name
            ),
            "pacticipant": link(
                urls.pacticipant(label.pacticipant), title="Pacticipant", name=label.pacticipant
            ),
        },
    }


@router.get("/pacticipants/label/{label:seg}")
def pacticipants_with_label(request: Request, label: str) -> HalResponse:
    """``pb:pacticipants-with-label``: the pacticipants carrying ``label`` (maybe none)."""
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        found = pacticipant_views_with_label(session, label)
    self_href = f"{urls.pacticipants()}/label/{segment(label)}"
    return HalResponse(render_pacticipant_list(urls, found, self_href))


@router.get("/labels")
def all_labels(request: Request) -> HalResponse:
    """Every label name in use, once each (the Pact Broker hides each label's own links here)."""
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        names = domain.all_label_names(session)
    return HalResponse(
        {
            "_embedded": {"labels": [{"name": name} for name in names]},
            "_links": {"self": link(f"{urls.base}/labels", title="Labels")},
        }
    )


@router.get(LABEL)
def get_label(request: Request, pacticipant: str, label: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        found = domain.get_label(session, pacticipant, label)
    return HalResponse(render_label(urls_for(request), found))


@router.put(LABEL)
def put_label(request: Request, pacticipant: str, label: str) -> HalResponse:
    """Add the label: 201 with ``Location`` the first time, 200 after (the body is ignored)."""

    def work(session: Session) -> tuple[PacticipantLabel, bool]:
        return domain.add_label(session, pacticipant, label)

    found, created = unit_of_work(request).write(work)
    rendered = render_label(urls_for(request), found)
    if not created:
        return HalResponse(rendered)
    headers = {"Location": rendered["_links"]["self"]["href"]}
    return HalResponse(rendered, status_code=201, headers=headers)


@router.delete(LABEL)
def delete_label(request: Request, pacticipant: str, label: str) -> Response:
    unit_of_work(request).write(lambda session: domain.remove_label(session, pacticipant, label))
    return Response(status_code=204)
