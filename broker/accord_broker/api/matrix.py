"""``/matrix``, ``/can-i-deploy`` and their branch/tag shortcuts, answered as the Pact Broker does.

``pact broker can-i-deploy`` and ``can-i-merge`` only ever call ``GET /matrix`` (clients.md §4);
the other routes are the Pact Broker's conveniences for people and badges. Every reason is the
Pact Broker's sentence followed by accord's evidence and a link to the result or pact.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from accord_broker.api.environments import render_embedded_environment
from accord_broker.api.errors import error_response
from accord_broker.api.hal import HalResponse, Urls, timestamp
from accord_broker.api.query_docs import CAN_I_DEPLOY_QUERY, CAN_I_MERGE_QUERY, MATRIX_QUERY
from accord_broker.domain import matrix
from accord_broker.domain.deployments.environments import find_environment_by_name
from accord_broker.domain.matrix.facts import EnvironmentFact, VersionFacts, version_facts
from accord_broker.domain.matrix.query import UnresolvedSelector
from accord_broker.domain.pacticipants.pacticipants import find_pacticipant
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.url_metadata import encode_metadata
from accord_broker.errors import BrokerNotFoundError, MatrixQueryError
from accord_broker.web.context import broker_of, unit_of_work, urls_for
from accord_broker.web.links import AnswerUrls

router = APIRouter()
P = "/pacticipants/{pacticipant:seg}"


def reason_text(urls: Urls, reason: matrix.Reason) -> str:
    """The Pact Broker's sentence, then accord's ``why`` and the URL that proves it."""
    text = reason.text
    if reason.why:
        text = f"{text}: {reason.why}"
    if reason.link is not None:
        text = f"{text} ({_evidence_url(urls, reason.link)})"
    return text


def _evidence_url(urls: Urls, link: matrix.RowLink) -> str:
    if link.verification_number is None:
        return urls.pact_for_version(link.provider, link.consumer, link.consumer_version)
    metadata = encode_metadata({"cvn": link.consumer_version})
    results = urls.verification_results(link.provider, link.consumer, link.pact_sha, metadata)
    return f"{results}/{link.verification_number}"


_SideKey = tuple[str, int | None]
"""A pacticipant's name and its version's id (``None``: a row without a provider version)."""
_PactKey = tuple[str, str, str, datetime]
"""Provider, consumer, consumer version number and when the pact's revision was published."""
_ResultsKey = tuple[str, str, str, str]
"""Provider, consumer, pact version sha and consumer version number."""


class _Rendered:
    """One answer's rendered parts, each built once and shared by the rows that show it.

    A page of a pair's matrix names the same consumer version in every row of its pact and
    the same provider versions across pacts, and every row of one pact shows the same pact
    and the same results URL up to the result's number. Rendering each side (its version's
    branches, tags, environments and links), each pact and each results URL once per answer
    is most of the page's rendering; the encoder writes a shared dict wherever it appears,
    so the body is the same.
    """

    def __init__(self, urls: Urls, facts: dict[int, VersionFacts]) -> None:
        self.urls = urls
        self.facts = facts
        self._sides: dict[_SideKey, dict[str, Any]] = {}
        self._versions: dict[int, dict[str, Any]] = {}
        self._environments: dict[str, dict[str, Any]] = {}
        self._pacts: dict[_PactKey, dict[str, Any]] = {}
        self._results: dict[_ResultsKey, str] = {}
        self._metadata: dict[str, str] = {}

    def side(self, name: str, number: str | None, version_id: int | None) -> dict[str, Any]:
        """A row's ``consumer`` or ``provider``: its name, version (if any) and link."""
        found = self._sides.get((name, version_id))
        if found is None:
            version = None
            if version_id is not None and number is not None:
                version = self._version(name, number, version_id)
            found = self._sides[name, version_id] = {
                "name": name,
                "version": version,
                "_links": {"self": {"href": self.urls.pacticipant(name)}},
            }
        return found

    def pact(self, row: matrix.MatrixRow) -> dict[str, Any]:
        """A row's ``pact``: when its revision was published, and its URL."""
        provider, consumer = row.provider_name, row.consumer_name
        number, created_at = row.consumer_version_number, row.pact_created_at
        found = self._pacts.get((provider, consumer, number, created_at))
        if found is None:
            href = self.urls.pact_for_version(provider, consumer, number)
            found = self._pacts[provider, consumer, number, created_at] = {
                "createdAt": timestamp(created_at),
                "_links": {"self": {"href": href}},
            }
        return found

    def verification_url(self, row: matrix.MatrixRow, number: int) -> str:
        """The URL of a row's result: its pact's results URL (one per answer), then ``number``."""
        provider, consumer = row.provider_name, row.consumer_name
        sha, consumer_version = row.pact_version_sha, row.consumer_version_number
        results = self._results.get((provider, consumer, sha, consumer_version))
        if results is None:
            metadata = self._consumer_version_metadata(consumer_version)
            results = self.urls.verification_results(provider, consumer, sha, metadata)
            self._results[provider, consumer, sha, consumer_version] = results
        return f"{results}/{number}"

    def _consumer_version_metadata(self, number: str) -> str:
        """The metadata segment of a results URL: the consumer version's number, encoded."""
        found = self._metadata.get(number)
        if found is None:
            found = self._metadata[number] = encode_metadata({"cvn": number})
        return found

    def _version(self, pacticipant: str, number: str, version_id: int) -> dict[str, Any]:
        found = self._versions.get(version_id)
        if found is None:
            found = self._versions[version_id] = self._render_version(
                pacticipant, number, self.facts[version_id]
            )
        return found

    def _environment(self, env: EnvironmentFact) -> dict[str, Any]:
        found = self._environments.get(env.uuid)
        if found is None:
            found = self._environments[env.uuid] = render_embedded_environment(self.urls, env)
        return found

    def _render_version(self, pacticipant: str, number: str, facts: VersionFacts) -> dict[str, Any]:
        urls = self.urls
        branch_versions = [
            {
                "name": name,
                "latest": head,
                "_links": {
                    "self": {
                        "title": "Branch version",
                        "name": name,
                        "href": urls.branch_version(pacticipant, name, number),
                    }
                },
            }
            for name, head in facts.branches
        ]
        return {
            "number": number,
            "branch": facts.branches[-1][0] if facts.branches else None,
            "branches": branch_versions,
            "branchVersions": branch_versions,
            "environments": [self._environment(env) for env in facts.environments],
            "_links": {"self": {"href": urls.version(pacticipant, number)}},
            "tags": [
                {
                    "name": tag.name,
                    "latest": tag.latest,
                    "_links": {"self": {"href": urls.tag(pacticipant, number, tag.name)}},
                }
                for tag in facts.tags
            ],
        }


def _row(rendered: _Rendered, row: matrix.MatrixRow) -> dict[str, Any]:
    verification = None
    if row.success is not None and row.verification_number is not None:
        verified_at = row.verified_at
        verification = {
            "success": row.success,
            "verifiedAt": timestamp(verified_at) if verified_at else None,
            "_links": {"self": {"href": rendered.verification_url(row, row.verification_number)}},
        }
    return {
        "consumer": rendered.side(
            row.consumer_name, row.consumer_version_number, row.consumer_version_id
        ),
        "provider": rendered.side(
            row.provider_name, row.provider_version_number, row.provider_version_id
        ),
        "pact": rendered.pact(row),
        "verificationResult": verification,
    }


def render_answer(session: Session, urls: Urls, found: matrix.MatrixAnswer) -> dict[str, Any]:
    """The Pact Broker's matrix body: ``summary``, ``notices`` and the ``matrix`` rows."""
    result, verdict = found.result, found.verdict
    rows = result.considered + result.ignored
    ids = [r.consumer_version_id for r in rows]
    ids += [r.provider_version_id for r in rows if r.provider_version_id is not None]
    answer_urls = AnswerUrls(urls.base)
    rendered = _Rendered(answer_urls, version_facts(session, ids))
    texts = [reason_text(answer_urls, reason) for reason in verdict.reasons]
    return {
        "summary": {"deployable": verdict.deployable, "reason": "\n".join(texts), **verdict.counts},
        "notices": [
            {"type": reason.kind, "text": text}
            for reason, text in zip(verdict.reasons, texts, strict=True)
        ],
        "matrix": [_row(rendered, row) for row in result.considered]
        + [{**_row(rendered, row), "ignored": True} for row in result.ignored],
    }


def _answer(
    request: Request, query: matrix.MatrixQuery, check: Callable[[Session], None] | None = None
) -> HalResponse:
    """The answer to ``query``, after ``check`` (a shortcut's 404s) in the same session."""
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        if check is not None:
            check(session)
        found = matrix.answer(session, query)
        broker_of(request).metrics.observe_can_i_deploy(found.verdict.deployable)
        return HalResponse(render_answer(session, urls, found))


@router.get("/matrix", openapi_extra=MATRIX_QUERY)
def get_matrix(request: Request) -> JSONResponse:
    query = matrix.parse_matrix_query(request.url.query)
    try:
        return _answer(request, query)
    except MatrixQueryError as problem:
        return error_response(400, problem.message, problem.problems)


@router.get("/matrix/provider/{provider:seg}/consumer/{consumer:seg}")
def matrix_for_integration(request: Request, provider: str, consumer: str) -> JSONResponse:
    query = matrix.MatrixQuery(
        (UnresolvedSelector(pacticipant=consumer), UnresolvedSelector(pacticipant=provider)),
        matrix.MatrixOptions(latestby="cvpv"),
    )
    try:
        return _answer(request, query)
    except MatrixQueryError as problem:
        return error_response(400, problem.message, problem.problems)


def _ignores(request: Request) -> tuple[UnresolvedSelector, ...]:
    """``ignore[]=Bar`` or ``ignore[][pacticipant]=Bar&ignore[][version]=2``."""
    return matrix.parse_matrix_query(request.url.query).options.ignore


@router.get("/can-i-deploy", openapi_extra=CAN_I_DEPLOY_QUERY)
def can_i_deploy(request: Request) -> JSONResponse:
    params = request.query_params
    pacticipant, version = params.get("pacticipant"), params.get("version")
    environment, to_tag = params.get("environment") or None, params.get("to") or None
    errors: dict[str, list[str]] = {}
    if not pacticipant:
        errors["pacticipant"] = ["is missing"]
    if not version:
        errors["version"] = ["is missing"]
    if bool(environment) == bool(to_tag):
        errors["to"] = ["specify exactly one of environment (recommended) or to (a tag)"]
    with unit_of_work(request).read() as session:
        if pacticipant and find_pacticipant(session, pacticipant) is None:
            errors["pacticipant"] = [f"No pacticipant with name '{pacticipant}' found"]
        if environment and find_environment_by_name(session, environment) is None:
            errors["environment"] = [f"No environment found with name '{environment}'"]
    if errors:
        summary = "; ".join(f"{k} {' '.join(v)}" for k, v in errors.items())
        return error_response(400, f"invalid can-i-deploy query: {summary}", errors)
    assert pacticipant and version
    query = matrix.can_i_deploy_query(
        pacticipant, version, environment=environment, to_tag=to_tag, ignore=_ignores(request)
    )
    return _answer(request, query)


@router.get(P + "/branches/{branch:seg}/latest-version/can-i-deploy/to-environment/{env:seg}")
def can_i_deploy_branch(request: Request, pacticipant: str, branch: str, env: str) -> HalResponse:

    def check(session: Session) -> None:
        if find_environment_by_name(session, env) is None:
            raise BrokerNotFoundError(f"No environment found with name '{env}'")
        owner = matrix.pacticipant_named(session, pacticipant)
        head = matrix.branch_head(session, owner, branch) if owner is not None else None
        if head is None:
            raise BrokerNotFoundError(f"No version of '{pacticipant}' on branch '{branch}' found")

    query = matrix.MatrixQuery(
        (UnresolvedSelector(pacticipant=pacticipant, branch=branch, latest=True),),
        matrix.MatrixOptions(latestby="cvpv", environment=env, limit=None),
    )
    return _answer(request, query, check)


@router.get(P + "/latest-version/{tag:seg}/can-i-deploy/to/{to:seg}")
def can_i_deploy_tag(request: Request, pacticipant: str, tag: str, to: str) -> HalResponse:
    query = matrix.MatrixQuery(
        (UnresolvedSelector(pacticipant=pacticipant, tag=tag, latest=True),),
        matrix.MatrixOptions(latestby="cvp", tag=to, latest=True, limit=None),
    )

    def check(session: Session) -> None:
        if matrix.pacticipant_named(session, pacticipant) is None:
            raise BrokerNotFoundError(f"No pacticipant with name '{pacticipant}' found")

    return _answer(request, query, check)


@router.get(P + "/main-branch/can-i-merge", openapi_extra=CAN_I_MERGE_QUERY)
def can_i_merge(request: Request, pacticipant: str) -> HalResponse:
    """accord: the can-i-merge answer for the head of the main branch (the Pact Broker only
    offers it as a badge)."""
    urls = urls_for(request)
    version = request.query_params.get("version") or None
    with unit_of_work(request).read() as session:
        found = matrix.can_i_merge(session, pacticipant, version)
        return HalResponse(render_answer(session, urls, found))
