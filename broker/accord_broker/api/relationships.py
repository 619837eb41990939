"""The Pact Broker's network-graph data as CSV: ``/relationships`` and ``/groups/{name}``.

Each line is one pacticipant: its id, its name, three columns the Pact Broker always writes as
``1,1,0``, its position in the list (from 1), then the ids of the providers it consumes; every
line is padded with ``0`` to the longest. ``text/csv`` is the only form, as in the Pact Broker:
it is served by default (no ``Accept``, ``*/*``) and an ``Accept`` that excludes it is a 406.
``/ui/relationships``, where the Pact Broker shows its index page, leads to accord's index.
"""

import csv
import io
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from accord_broker.api.query_docs import GROUP_QUERY
from accord_broker.domain.integrations.relationships import (
    Member,
    group_containing,
    relationships,
)
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()

CSV_TYPE = "text/csv;charset=utf-8"
_ACCEPTED = ("text/csv", "text/*", "*/*")
_NOT_ACCEPTABLE = "This resource is only available as text/csv: send Accept: text/csv"


class CsvResponse(Response):
    """The routes' response class, from which the OpenAPI document takes their ``text/csv``."""

    media_type = "text/csv"


CSV_ROUTE: dict[str, Any] = {
    "response_class": CsvResponse,
    "responses": {
        406: {
            "description": "The request's Accept excludes text/csv, the only form offered.",
            "content": {"text/plain": {"schema": {"type": "string", "example": _NOT_ACCEPTABLE}}},
        }
    },
}
"""How the CSV routes are documented: the CSV itself, and the 406 (plain text, as sent)."""


def to_csv(members: Sequence[Member]) -> str:
    """The Pact Broker's relationships CSV of ``members``."""
    lines = [
        [member.id, member.name, 1, 1, 0, position, *member.provider_ids]
        for position, member in enumerate(members, start=1)
    ]
    width = max((len(line) for line in lines), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in lines:
        writer.writerow(line + [0] * (width - len(line)))
    return out.getvalue()


def _refused(request: Request) -> Response | None:
    """A 406 when the client accepts no CSV (the Pact Broker offers nothing else here)."""
    accept = request.headers.get("accept", "").lower()
    if not accept.strip() or any(media in accept for media in _ACCEPTED):
        return None
    return Response(_NOT_ACCEPTABLE, status_code=406, media_type="text/plain")


@router.get("/relationships", **CSV_ROUTE)
def relationships_csv(request: Request) -> Response:
    """Every integration that has a pact, as the Pact Broker's network graph reads them."""
    refused = _refused(request)
    if refused is not None:
        return refused
    with unit_of_work(request).read() as session:
        members = relationships(session)
    return CsvResponse(to_csv(members), headers={"Content-Type": CSV_TYPE})


@router.get("/groups/{pacticipant:seg}", openapi_extra=GROUP_QUERY, **CSV_ROUTE)
def group_csv(request: Request, pacticipant: str) -> Response:
    """The pacticipant's network: the integrations connected to it. ``maxPacticipants``
    (digits; anything else is ignored, as by the Pact Broker) bounds how far it reaches."""
    refused = _refused(request)
    if refused is not None:
        return refused
    limit = request.query_params.get("maxPacticipants", "")
    max_pacticipants = int(limit) if limit.isdigit() else None
    with unit_of_work(request).read() as session:
        members = group_containing(session, pacticipant, max_pacticipants=max_pacticipants)
    return CsvResponse(to_csv(members), headers={"Content-Type": CSV_TYPE})


@router.get("/ui/relationships", include_in_schema=False)
def relationships_page(request: Request) -> RedirectResponse:
    """The Pact Broker shows its index page here; accord's index lists the same integrations."""
    query = request.url.query
    return RedirectResponse(urls_for(request).base + "/ui" + (f"?{query}" if query else ""))
