"""Status badges at the Pact Broker's URLs (broker.md §2.15), served as SVG by the broker itself.

* ``/pacts/provider/{p}/consumer/{c}/latest/badge``: the latest pact's verification status;
  ``/latest/{tag}/badge`` and ``/latest-untagged/badge`` narrow the consumer versions, and
  ``/branch/{branch}/latest/badge`` (an accord addition) narrows them to a branch;
* ``/matrix/provider/{p}/latest/{ptag}/consumer/{c}/latest/{ctag}/badge``: tag against tag;
* ``/pacticipants/{p}/latest-version/{tag}/can-i-deploy/to/{to}/badge`` and
  ``/pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{env}/badge``.

A badge always answers 200 with an image (a README must never show a broken one): unknown
applications give "pact not found" or "not found" badges. ``Cache-Control: no-cache`` as the
Pact Broker sends, with an ``ETag`` so image proxies (GitHub's camo) revalidate cheaply.
Every badge path matches :data:`BADGE_PATH`, which the auth middleware opens to anonymous
readers when ``enable_public_badge_access`` is set.
"""

import hashlib
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord_broker.api.badge_svg import badge_svg
from accord_broker.domain.integrations import badges
from accord_broker.domain.integrations.integration_status import LineStatus, Status
from accord_broker.web.context import unit_of_work

router = APIRouter(include_in_schema=False)
SVG = "image/svg+xml;charset=utf-8"
BADGE_PATH = re.compile(
    r"^/pacts/provider/[^/]+/consumer/[^/]+/"
    r"(latest|latest-untagged|latest/[^/]+|branch/[^/]+/latest)/badge(\.svg)?$"
    r"|^/matrix/provider/[^/]+/latest/[^/]+/consumer/[^/]+/latest/[^/]+/badge(\.svg)?$"
    r"|^/pacticipants/[^/]+/(latest-version/[^/]+/can-i-deploy/to/[^/]+"
    r"|branches/[^/]+/latest-version/can-i-deploy/to-environment/[^/]+)/badge(\.svg)?$"
)
"""Every badge path (matched against the raw path, ``%2F`` kept inside its segment)."""

_STATUS_TEXT = {
    Status.SUCCESS: ("verified", "brightgreen"),
    Status.FAILED: ("failed", "red"),
    Status.FAILED_PENDING: ("failed (pending)", "red"),
    Status.STALE: ("changed", "orange"),
    Status.NEVER: ("unknown", "lightgrey"),
}
_SEPARATORS = re.compile(r"[\s_\-]")


def initials_of(name: str) -> str:
    """``"foo-bar"`` → ``"fb"``, ``"FooBar"`` → ``"fb"``; a one-word name stays whole."""
    parts = [p for p in _SEPARATORS.split(name) if p]
    if len(parts) <= 1:
        camel = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
        camel = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", camel)
        parts = [p for p in camel.replace("-", "_").split("_") if p]
    return "".join(p[0] for p in parts).lower() if len(parts) > 1 else name


def badge_title(
    consumer: str,
    provider: str,
    *,
    label: str | None = None,
    initials: bool = False,
    consumer_tag: str | None = None,
    provider_tag: str | None = None,
) -> str:
    """The Pact Broker's badge title: ``"<consumer>/<provider> pact"``, lower-cased."""

    def name(value: str, tag: str | None) -> str:
        shown = initials_of(value) if initials else value
        return shown + (f" ({tag})" if tag else "")

    consumer_part, provider_part = name(consumer, consumer_tag), name(provider, provider_tag)
    chosen = (label or "").lower()
    if chosen == "consumer":
        title = consumer_part
    elif chosen == "provider":
        title = provider_part
    else:
        title = f"{consumer_part}/{provider_part}"
    return f"{title} pact".lower()


def _svg_response(request: Request, svg: str) -> Response:
    etag = '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
    headers = {"Cache-Control": "no-cache", "ETag": etag, "Vary": "Accept"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(svg, media_type=SVG, headers=headers)


def _comment(consumer: str, provider: str, line: LineStatus) -> str:
    cv = line.pact.consumer_version_number if line.pact else "?"
    pv = line.result.provider_version_number if line.result else "?"
    number = line.result.number if line.result else "?"
    return f"{consumer} version {cv} {provider} version {pv} number {number}"


def _pact_badge(
    request: Request,
    consumer: str,
    provider: str,
    line: LineStatus,
    *,
    consumer_tag: str | None = None,
    provider_tag: str | None = None,
) -> Response:
    if line.pact is None:
        return _svg_response(request, badge_svg("pact not found", "unknown", "lightgrey"))
    status, colour = _STATUS_TEXT[line.status]
    title = badge_title(
        consumer,
        provider,
        label=request.query_params.get("label") or None,
        initials=request.query_params.get("initials") == "true",
        consumer_tag=consumer_tag,
        provider_tag=provider_tag,
    )
    comment = _comment(consumer, provider, line)
    return _svg_response(request, badge_svg(title, status, colour, comment))


BETWEEN = "/pacts/provider/{provider:seg}/consumer/{consumer:seg}"


@router.get(BETWEEN + "/latest/badge")
@router.get(BETWEEN + "/latest/badge.svg")
def latest_badge(request: Request, provider: str, consumer: str) -> Response:
    line = badges.pact_line_status(unit_of_work(request), consumer, provider)
    return _pact_badge(request, consumer, provider, line)


@router.get(BETWEEN + "/latest-untagged/badge")
@router.get(BETWEEN + "/latest-untagged/badge.svg")
def latest_untagged_badge(request: Request, provider: str, consumer: str) -> Response:
    line = badges.pact_line_status(unit_of_work(request), consumer, provider, untagged=True)
    return _pact_badge(request, consumer, provider, line)


@router.get(BETWEEN + "/latest/{tag:seg}/badge")
@router.get(BETWEEN + "/latest/{tag:seg}/badge.svg")
def latest_tagged_badge(request: Request, provider: str, consumer: str, tag: str) -> Response:
    line = badges.pact_line_status(unit_of_work(request), consumer, provider, tag=tag)
    return _pact_badge(request, consumer, provider, line)


@router.get(BETWEEN + "/branch/{branch:seg}/latest/badge")
@router.get(BETWEEN + "/branch/{branch:seg}/latest/badge.svg")
def latest_branch_badge(request: Request, provider: str, consumer: str, branch: str) -> Response:
    """accord: the badge of a consumer branch (the Pact Broker has tags only)."""
    line = badges.pact_line_status(unit_of_work(request), consumer, provider, branch=branch)
    return _pact_badge(request, consumer, provider, line)


MATRIX = "/matrix/provider/{provider:seg}/latest/{provider_tag:seg}"
MATRIX += "/consumer/{consumer:seg}/latest/{consumer_tag:seg}"


@router.get(MATRIX + "/badge")
@router.get(MATRIX + "/badge.svg")
def matrix_badge(
    request: Request, provider: str, provider_tag: str, consumer: str, consumer_tag: str
) -> Response:
    """The latest ``consumer_tag`` pact, verified by a ``provider_tag`` provider version?"""
    line = badges.pact_line_status(
        unit_of_work(request), consumer, provider, tag=consumer_tag, provider_tag=provider_tag
    )
    return _pact_badge(
        request, consumer, provider, line, consumer_tag=consumer_tag, provider_tag=provider_tag
    )


def _deploy_badge(request: Request, subject: str, deployable: bool | None) -> Response:
    label = request.query_params.get("label") or "can-i-deploy"
    if deployable is None:
        return _svg_response(request, badge_svg(label, subject, "lightgrey"))
    colour = "brightgreen" if deployable else "red"
    return _svg_response(request, badge_svg(label, subject, colour))


P = "/pacticipants/{pacticipant:seg}"


@router.get(P + "/latest-version/{tag:seg}/can-i-deploy/to/{to:seg}/badge")
@router.get(P + "/latest-version/{tag:seg}/can-i-deploy/to/{to:seg}/badge.svg")
def can_i_deploy_tag_badge(request: Request, pacticipant: str, tag: str, to: str) -> Response:
    answer = badges.tag_deployability(unit_of_work(request), pacticipant, tag, to)
    return _deploy_badge(request, answer.subject, answer.deployable)


@router.get(P + "/branches/{branch:seg}/latest-version/can-i-deploy/to-environment/{env:seg}/badge")
@router.get(
    P + "/branches/{branch:seg}/latest-version/can-i-deploy/to-environment/{env:seg}/badge.svg"
)
def can_i_deploy_branch_badge(
    request: Request, pacticipant: str, branch: str, env: str
) -> Response:
    answer = badges.branch_deployability(unit_of_work(request), pacticipant, branch, env)
    return _deploy_badge(request, answer.subject, answer.deployable)
