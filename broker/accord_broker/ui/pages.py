"""The pages teams check before they ship (issue #22 §4): pacticipants, verification results,
environments, webhooks, can-i-deploy and the network, under ``/ui``.

Each route asks one domain function for a read model and renders it; none builds a statement.
Scripts are static files served from ``ui/static`` (the strict Content-Security-Policy allows
nothing inline): the only one, ``webhook-test.js``, sends the "test now" request as JSON so it
passes the content-type guard like any API client.
"""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from accord_broker.domain import matrix
from accord_broker.domain.deployments.environment_overview import (
    CURRENT_SHOWN,
    load_environment,
    load_environments,
)
from accord_broker.domain.integrations.network import load_network
from accord_broker.domain.integrations.overview import MAX_PAGE_SIZE
from accord_broker.domain.limits import COUNT_MAX
from accord_broker.domain.pacticipants.pacticipant_list import (
    DeployFormChoices,
    deploy_form_choices,
    load_pacticipant_list,
)
from accord_broker.domain.verifications.verification_page import (
    VerificationPage,
    load_latest_verification_page,
    load_verification_page,
)
from accord_broker.domain.webhooks.overview import load_webhook, load_webhooks
from accord_broker.errors import BrokerNotFoundError, MatrixQueryError
from accord_broker.ui.negotiation import UI_PREFIX
from accord_broker.ui.network import Edge, lay_out
from accord_broker.ui.paging import PACTICIPANTS_PER_PAGE
from accord_broker.ui.templating import TEMPLATES, render
from accord_broker.web.context import broker_of, unit_of_work, urls_for

router = APIRouter(prefix=UI_PREFIX, include_in_schema=False)
HTML_HEADERS = {"Vary": "Accept", "X-Content-Type-Options": "nosniff"}
STATIC = TEMPLATES.parent / "static"
SCRIPTS = {"webhook-test.js": (STATIC / "webhook-test.js").read_text(encoding="utf-8")}
PACT_VERSION = "/pacts/provider/{provider:seg}/consumer/{consumer:seg}/pact-version/{sha:seg}"


def _page(
    request: Request, template: str, *, http_status: int = 200, **context: Any
) -> HTMLResponse:
    base = urls_for(request).base
    html = render(template, base=base, ui=base + UI_PREFIX, now=datetime.now(UTC), **context)
    return HTMLResponse(html, status_code=http_status, headers=HTML_HEADERS)


def _not_found(request: Request, message: str) -> HTMLResponse:
    return _page(request, "not_found.html", http_status=404, title="Not found", message=message)


@router.get("/static/{name}")
def script(name: str) -> Response:
    """The UI's own scripts (never a CDN): allowed by ``script-src 'self'``."""
    text = SCRIPTS.get(name)
    if text is None:
        return Response("no such script", status_code=404, media_type="text/plain")
    return Response(
        text,
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/pacticipants")
def pacticipants_page(
    request: Request,
    label: str | None = None,
    page: int = Query(1, ge=1, le=COUNT_MAX),
    page_size: int = Query(PACTICIPANTS_PER_PAGE, alias="pageSize", ge=1, le=MAX_PAGE_SIZE),
) -> HTMLResponse:
    with unit_of_work(request).read() as session:
        found = load_pacticipant_list(session, label, page=page, page_size=page_size)
    return _page(
        request,
        "pacticipants.html",
        title="Pacticipants",
        found=found,
        default_page_size=PACTICIPANTS_PER_PAGE,
    )


def _verification(
    request: Request, provider: str, consumer: str, sha: str, number: str
) -> HTMLResponse:
    if number != "latest" and not (number.isascii() and number.isdigit()):
        return _not_found(request, f"'{number}' is not a verification result number")
    try:
        with unit_of_work(request).read() as session:
            page = load_verification_page(
                session, provider, consumer, sha, None if number == "latest" else int(number)
            )
    except BrokerNotFoundError as exc:
        return _not_found(request, exc.message)
    return _verification_response(request, page)


def _verification_response(request: Request, page: VerificationPage) -> HTMLResponse:
    outcome = "passed" if page.success else "failed"
    consumer, provider = page.consumer, page.provider
    return _page(
        request,
        "verification.html",
        title=f"Verification {page.number} of {consumer} by {provider}: {outcome}",
        v=page,
    )


@router.get(PACT_VERSION + "/verification-results/{number:seg}")
def verification_page(
    request: Request, provider: str, consumer: str, sha: str, number: str
) -> HTMLResponse:
    """A verification result for people: the links the matrix and the index give."""
    return _verification(request, provider, consumer, sha, number)


@router.get(PACT_VERSION + "/metadata/{metadata:seg}/verification-results/{number:seg}")
def verification_page_with_metadata(
    request: Request, *, provider: str, consumer: str, sha: str, metadata: str, number: str
) -> HTMLResponse:
    """The same page at the URL can-i-deploy's reasons give (with the consumer version)."""
    del metadata  # names the consumer version the link came from; the page lists them all
    return _verification(request, provider, consumer, sha, number)


@router.get("/pacts/provider/{provider:seg}/consumer/{consumer:seg}/latest-verification")
def latest_verification_page(request: Request, provider: str, consumer: str) -> HTMLResponse:
    """The newest verification between the pair, whatever content it verified (the index's
    "Verified" column links here)."""
    try:
        with unit_of_work(request).read() as session:
            page = load_latest_verification_page(session, provider, consumer)
    except BrokerNotFoundError as exc:
        return _not_found(request, exc.message)
    return _verification_response(request, page)


@router.get("/environments")
def environments_page(request: Request) -> HTMLResponse:
    with unit_of_work(request).read() as session:
        found = load_environments(session)
    return _page(request, "environments.html", title="Environments", environments=found)


@router.get("/environments/{name:seg}")
def environment_page(
    request: Request,
    name: str,
    pacticipant: str | None = None,
    page: int = Query(1, ge=1, le=COUNT_MAX),
    history: int = Query(1, ge=1, le=COUNT_MAX),
) -> HTMLResponse:
    """What runs there now (``page``) and before (``history``), a page of each."""
    try:
        with unit_of_work(request).read() as session:
            env = load_environment(
                session, name, pacticipant or None, page=page, history_page=history
            )
    except BrokerNotFoundError as exc:
        return _not_found(request, exc.message)
    return _page(
        request,
        "environment.html",
        title=f"Environment {env.title}",
        env=env,
        only=pacticipant,
        per_page=CURRENT_SHOWN,
    )


def _may_write(request: Request) -> bool:
    """Whether to offer "test now": always without authentication, else to write users."""
    settings = broker_of(request).settings
    return not settings.auth_enabled or getattr(request.state, "role", None) == "write"


@router.get("/webhooks")
def webhooks_page(request: Request) -> HTMLResponse:
    with unit_of_work(request).read() as session:
        found = load_webhooks(session)
    return _page(request, "webhooks.html", title="Webhooks", webhooks=found)


@router.get("/webhooks/{uuid:seg}")
def webhook_page(request: Request, uuid: str) -> HTMLResponse:
    try:
        with unit_of_work(request).read() as session:
            found = load_webhook(session, uuid)
    except BrokerNotFoundError as exc:
        return _not_found(request, exc.message)
    return _page(
        request,
        "webhook.html",
        title=f"Webhook {found.summary.description}",
        hook=found,
        may_write=_may_write(request),
    )


def _can_i_deploy_problems(
    pacticipant: str, version: str, environment: str, choices: DeployFormChoices
) -> dict[str, str]:
    problems: dict[str, str] = {}
    for field, value in (
        ("pacticipant", pacticipant),
        ("version", version),
        ("environment", environment),
    ):
        if not value:
            problems[field] = "is missing"
    if pacticipant and pacticipant not in choices.pacticipants:
        problems["pacticipant"] = f"No pacticipant with name '{pacticipant}' found"
    if environment and environment not in choices.environments:
        problems["environment"] = f"No environment found with name '{environment}'"
    return problems


@router.get("/can-i-deploy")
def can_i_deploy_page(
    request: Request, pacticipant: str = "", version: str = "", environment: str = ""
) -> HTMLResponse:
    """The form, and when it is filled in, the same verdict and reasons as ``/can-i-deploy``
    (and so as ``accord can-i-deploy``): both call ``matrix.answer`` on the same query. One
    read: the form's choices (every pacticipant and environment, which also tell whether the
    asked ones exist) in one statement, then the answer."""
    asked = bool(pacticipant or version or environment)
    found = None
    with unit_of_work(request).read() as session:
        choices = deploy_form_choices(session, pacticipant)
        problems = (
            _can_i_deploy_problems(pacticipant, version, environment, choices) if asked else {}
        )
        if asked and not problems:
            query = matrix.can_i_deploy_query(pacticipant, version, environment=environment)
            try:
                found = matrix.answer(session, query)
            except MatrixQueryError as exc:
                problems["query"] = exc.message
    return _page(
        request,
        "can_i_deploy.html",
        title="Can I deploy?",
        asked={"pacticipant": pacticipant, "version": version, "environment": environment},
        problems=problems,
        found=found,
        pacticipants=choices.pacticipants,
        branches=choices.branches,  # a badge can be offered for the latest version's branches
        environments=choices.environments,
    )


@router.get("/network")
def network_page(
    request: Request,
    pacticipant: str | None = None,
    label: str | None = None,
    environment: str | None = None,
) -> HTMLResponse:
    with unit_of_work(request).read() as session:
        network = load_network(session, focus=pacticipant, label=label, environment=environment)
    diagram = lay_out(
        [Edge(link.consumer, link.provider, link.status) for link in network.links],
        focus=network.focus,
    )
    return _page(
        request,
        "network.html",
        title="Network",
        diagram=diagram,
        network=network,
        focus=network.focus,
    )
