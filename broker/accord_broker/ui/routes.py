"""The UI's pages under ``/ui`` (browsers also reach them at the API URLs, see negotiation)."""

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from accord.errors import PactFormatError
from accord.pact import parse_pact
from accord_broker.domain.integrations.integration_status import line_status
from accord_broker.domain.integrations.overview import load_overview
from accord_broker.domain.limits import COUNT_MAX
from accord_broker.domain.pacticipants.pacticipant_overview import load_pacticipant_page
from accord_broker.domain.pacts.pacts import PactRef, latest_pact, pact_for_version
from accord_broker.domain.provider_contracts.views import provider_contract
from accord_broker.errors import BrokerNotFoundError
from accord_broker.ui.matrix_page import (
    LATESTBY_CHOICES,
    SUCCESS_CHOICES,
    MatrixFilters,
    load_matrix_page,
)
from accord_broker.ui.negotiation import UI_PREFIX
from accord_broker.ui.pact_document import document_of
from accord_broker.ui.paging import INTEGRATIONS_PER_PAGE, MATRIX_ROWS, MATRIX_ROWS_MAX
from accord_broker.ui.templating import TEMPLATES, render
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter(prefix=UI_PREFIX, include_in_schema=False)
STYLESHEET = (TEMPLATES.parent / "static" / "accord.css").read_text(encoding="utf-8")
HTML_HEADERS = {"Vary": "Accept", "X-Content-Type-Options": "nosniff"}
VERSION_STATUS_LABELS = {
    "success": "verified",
    "failed": "failed",
    "stale": "partly verified",
    "never": "not verified",
}


def _page(
    request: Request, template: str, *, http_status: int = 200, **context: Any
) -> HTMLResponse:
    base = urls_for(request).base
    html = render(template, base=base, ui=base + UI_PREFIX, now=datetime.now(UTC), **context)
    return HTMLResponse(html, status_code=http_status, headers=HTML_HEADERS)


def _not_found(request: Request, message: str) -> HTMLResponse:
    return _page(request, "not_found.html", http_status=404, title="Not found", message=message)


@router.get("/accord.css")
def stylesheet() -> Response:
    return Response(
        STYLESHEET,
        media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("")
@router.get("/")
def index(
    request: Request,
    search: str | None = None,
    page: int = Query(1, ge=1, le=COUNT_MAX),
    page_size: int = Query(INTEGRATIONS_PER_PAGE, alias="pageSize", ge=1, le=COUNT_MAX),
    label: str | None = None,
) -> HTMLResponse:
    with unit_of_work(request).read() as session:
        overview = load_overview(
            session, search=search, page=page, page_size=page_size, label=label
        )
    return _page(request, "index.html", title="Integrations", overview=overview)


def _pact_page(request: Request, ref: PactRef) -> HTMLResponse:
    content = ref.content()
    try:
        interactions = document_of(parse_pact(content, source="the broker"))
        problem = None
    except PactFormatError as exc:
        interactions, problem = [], str(exc)
    with unit_of_work(request).read() as session:
        status = line_status(session, ref.consumer.name, ref.provider.name)
    return _page(
        request,
        "pact.html",
        title=f"Pact between {ref.consumer.name} and {ref.provider.name}",
        ref=ref,
        interactions=interactions,
        problem=problem,
        raw=json.dumps(content, indent=2, ensure_ascii=False),
        metadata=content.get("metadata") if isinstance(content.get("metadata"), dict) else {},
        line=status,
    )


@router.get("/pacts/provider/{provider:seg}/consumer/{consumer:seg}/latest")
def latest_pact_page(request: Request, provider: str, consumer: str) -> HTMLResponse:
    try:
        with unit_of_work(request).read() as session:
            ref = latest_pact(session, provider, consumer)
    except BrokerNotFoundError as exc:
        return _not_found(request, exc.message)
    return _pact_page(request, ref)


@router.get("/pacts/provider/{provider:seg}/consumer/{consumer:seg}/version/{version:seg}")
def pact_version_page(request: Request, provider: str, consumer: str, version: str) -> HTMLResponse:
    try:
        with unit_of_work(request).read() as session:
            ref = pact_for_version(session, provider, consumer, version)
    except BrokerNotFoundError as exc:
        return _not_found(request, exc.message)
    return _pact_page(request, ref)


@router.get("/matrix/provider/{provider:seg}/consumer/{consumer:seg}")
def matrix_page(
    request: Request,
    provider: str,
    consumer: str,
    *,
    consumer_branch: str = "",
    consumer_tag: str = "",
    provider_branch: str = "",
    provider_tag: str = "",
    latestby: str = "",
    success: str = "",
    limit: int = Query(MATRIX_ROWS, ge=1, le=MATRIX_ROWS_MAX),
) -> HTMLResponse:
    """The pair's matrix, newest first: ``limit`` rows (the "more rows" link doubles it)."""
    filters = MatrixFilters(
        consumer_branch, consumer_tag, provider_branch, provider_tag, latestby, success, limit
    )
    with unit_of_work(request).read() as session:
        matrix = load_matrix_page(session, consumer, provider, filters)
    more = None
    if len(matrix.rows) >= limit and limit < MATRIX_ROWS_MAX:
        query = {key: value for key, value in request.query_params.items() if key != "limit"}
        query["limit"] = str(min(MATRIX_ROWS_MAX, limit * 2))
        more = f"?{urlencode(query)}"
    return _page(
        request,
        "matrix.html",
        title=f"Matrix: {consumer} → {provider}",
        consumer=consumer,
        provider=provider,
        filters=filters,
        matrix=matrix,
        latestby_choices=LATESTBY_CHOICES,
        success_choices=SUCCESS_CHOICES,
        more=more,
    )


@router.get("/pacticipants/{name:seg}")
def pacticipant_page(
    request: Request, name: str, page: int = Query(1, ge=1, le=COUNT_MAX)
) -> HTMLResponse:
    """The pacticipant and one page of its versions (``?page=2`` the next older ones)."""
    with unit_of_work(request).read() as session:
        found = load_pacticipant_page(session, name, page)
    if found is None:
        return _not_found(request, f"No pacticipant with name '{name}' found")
    return _page(
        request,
        "pacticipant.html",
        title=name,
        page=found,
        version_status_labels=VERSION_STATUS_LABELS,
    )


@router.get("/provider-contracts/provider/{provider:seg}/version/{number:seg}")
def provider_contract_page(request: Request, provider: str, number: str) -> HTMLResponse:
    """A provider version's OpenAPI document, its self-verification and each comparison."""
    try:
        with unit_of_work(request).read() as session:
            contract = provider_contract(session, provider, number)
    except BrokerNotFoundError as exc:
        return _not_found(request, exc.message)
    return _page(
        request,
        "provider_contract.html",
        title=f"Provider contract: {provider} {number}",
        contract=contract,
    )
