"""What the HTTP provider scenarios drive: a real provider, pact files, a real accord broker.

The provider is one Starlette app on 127.0.0.1, shared by the scenarios of a module: each scenario
tells it which interactions' responses to give (by method and path; anything else gets a 500,
as the reference mock provider answers an unexpected request) and reads back what it saw, in
order: the requests the verifier replayed and the calls to its state-change endpoint. Pact files
are written in the specification version of the feature being run (V1 ``providerState`` and
query strings up to V4 bodies with ``contentType``), so each version's reader is exercised.
"""

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import requests
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from suite import FixtureBody, HttpRow, body_from_cell, headers_from_cell, is_v2_fragment

from accord.verifier import VerificationResult

STATE_CHANGE_PATH = "/_compatibility/provider-state"
SPEC_VERSIONS = {"V1": "1.0.0", "V2": "2.0.0", "V3": "3.0.0", "V4": "4.0"}


# --- the scenario ---------------------------------------------------------------------------


SPEC_KEY = pytest.StashKey[str]()


class FeatureVersion:
    """Tells each scenario which specification version its feature is (``V1`` ... ``V4``):
    the steps are shared, the pact format they write is not."""

    @pytest.hookimpl
    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Any) -> None:
        request.node.stash[SPEC_KEY] = Path(feature.filename).parent.name


@dataclass
class Run:
    """One scenario's verification: what it configures, then what accord reported."""

    spec: str
    provider_name: str
    directory: Path
    files: list[Path] = field(default_factory=list)
    broker_consumers: list[str] = field(default_factory=list)
    broker_url: str | None = None
    publish: bool = False
    state_change_url: str | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)
    result: VerificationResult | None = None
    console: str = ""

    def outcome(self) -> VerificationResult:
        assert self.result is not None, "the verification has not been run"
        return self.result


# --- the provider -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StateCall:
    """One call the state-change endpoint received."""

    action: str
    state: str
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ProviderRequest:
    """One request the verifier replayed against the provider (header names in lower case)."""

    method: str
    path: str
    headers: Mapping[str, str]


@dataclass
class Provider:
    """The provider server's behaviour for the current scenario and what it has seen."""

    responses: dict[tuple[str, str], HttpRow] = field(default_factory=dict)
    events: list[StateCall | ProviderRequest] = field(default_factory=list)
    state_change_fails: bool = False

    def reset(self) -> None:
        self.responses.clear()
        self.events.clear()
        self.state_change_fails = False

    def serve(self, row: HttpRow) -> None:
        self.responses[(row.method.upper(), row.path)] = row

    @property
    def state_calls(self) -> list[StateCall]:
        return [event for event in self.events if isinstance(event, StateCall)]

    @property
    def requests(self) -> list[ProviderRequest]:
        return [event for event in self.events if isinstance(event, ProviderRequest)]


def provider_app(provider: Provider) -> Starlette:
    """The provider: the scenario's responses, and a state-change endpoint that logs calls."""

    async def change_state(request: Request) -> Response:
        asked = await request.json()
        provider.events.append(
            StateCall(
                str(asked.get("action", "setup")),
                str(asked.get("state", "")),
                dict(asked.get("params") or {}),
            )
        )
        if provider.state_change_fails:
            return PlainTextResponse("the state could not be set up", status_code=500)
        return JSONResponse({})

    async def respond(request: Request) -> Response:
        provider.events.append(
            ProviderRequest(
                request.method,
                request.url.path,
                {name.lower(): value for name, value in request.headers.items()},
            )
        )
        row = provider.responses.get((request.method.upper(), request.url.path))
        if row is None:
            return PlainTextResponse(
                f"no interaction for {request.method} {request.url.path}", status_code=500
            )
        headers = dict(row.response_headers)
        body = row.response_body
        if body is not None and not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = body.content_type
        return Response(body.raw if body is not None else b"", row.status, headers=headers)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return Starlette(
        routes=[
            Route(STATE_CHANGE_PATH, change_state, methods=["POST"]),
            Route("/{path:path}", respond, methods=methods),
        ]
    )


def changed_row(row: HttpRow, changes: Mapping[str, str]) -> HttpRow:
    """``row`` with a scenario's ``with the following changes`` applied to its response.

    A new body keeps the interaction's content type unless the change names one (``response
    content``): the negative cases are about the body's contents, not its type.
    """
    updated = row
    if "response" in changes:
        updated = replace(updated, status=int(changes["response"]))
    if "response headers" in changes:
        updated = replace(
            updated, response_headers=tuple(headers_from_cell(changes["response headers"]))
        )
    if "response body" in changes:
        content_type = changes.get("response content") or (
            row.response_body.content_type if row.response_body is not None else None
        )
        updated = replace(
            updated, response_body=body_from_cell(changes["response body"], content_type)
        )
    return updated


# --- pact files -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PactOptions:
    """What a scenario adds to an interaction's pact: states, pending, comments."""

    states: Sequence[tuple[str, Mapping[str, Any]]] = ()
    pending: bool = False
    comments: Mapping[str, Any] = field(default_factory=dict)


def _legacy_body(body: FixtureBody) -> Any:
    """A V1-V3 body: a JSON value, the text, or (for bytes that are not text) Base64."""
    if body.is_json:
        return body.json()
    try:
        return body.raw.decode("utf-8")
    except UnicodeDecodeError:
        return body.base64()


def _v4_body(body: FixtureBody) -> dict[str, Any]:
    if body.is_json:
        return {"content": body.json(), "contentType": body.content_type, "encoded": False}
    try:
        return {"content": body.raw.decode("utf-8"), "contentType": body.content_type}
    except UnicodeDecodeError:
        return {"content": body.base64(), "contentType": body.content_type, "encoded": "base64"}


def _categorised(fragment: Mapping[str, Any]) -> dict[str, Any]:
    """V2 flat rules (``$.header.x-test``, ``$.body.one``) as V3/V4 categories."""
    if not is_v2_fragment(fragment):
        return dict(fragment)
    rules: dict[str, dict[str, Any]] = {}
    for key, rule in fragment.items():
        parts = key.split(".", 2)  # "$", "header", "x-test"
        category = {"headers": "header"}.get(parts[1], parts[1]) if len(parts) > 1 else "body"
        rest = parts[2] if len(parts) > 2 else ""
        path = rest if category in ("header", "query") else "$." + rest if rest else "$"
        rules.setdefault(category, {})[path] = {"matchers": [dict(rule)]}
    return rules


def _http_part(
    headers: Sequence[tuple[str, str]], body: FixtureBody | None, spec: str
) -> dict[str, Any]:
    """The headers and body of a request or response in the pact's format."""
    part: dict[str, Any] = {}
    header_map = dict(headers)
    if body is not None and not any(name.lower() == "content-type" for name in header_map):
        header_map["Content-Type"] = body.content_type
    if header_map:
        part["headers"] = (
            {name: [value] for name, value in header_map.items()} if spec == "V4" else header_map
        )
    if body is not None:
        part["body"] = _v4_body(body) if spec == "V4" else _legacy_body(body)
    return part


def _request(row: HttpRow, spec: str) -> dict[str, Any]:
    request: dict[str, Any] = {"method": row.method, "path": row.path}
    if row.query:
        if spec in ("V1", "V2"):
            request["query"] = "&".join(f"{name}={value}" for name, value in row.query)
        else:
            query: dict[str, list[str]] = {}
            for name, value in row.query:
                query.setdefault(name, []).append(value)
            request["query"] = query
    request.update(_http_part(row.headers, row.body, spec))
    return request


def _response(row: HttpRow, spec: str) -> dict[str, Any]:
    response: dict[str, Any] = {"status": row.status}
    response.update(_http_part(row.response_headers, row.response_body, spec))
    if row.response_rules and spec != "V1":
        response["matchingRules"] = (
            dict(row.response_rules) if spec == "V2" else _categorised(row.response_rules)
        )
    return response


def interaction_json(row: HttpRow, spec: str, options: PactOptions) -> dict[str, Any]:
    """One interaction of ``row`` as the ``spec`` version of the format writes it."""
    interaction: dict[str, Any] = {"description": row.description}
    if spec in ("V1", "V2"):
        if len(options.states) > 1:
            raise ValueError(f"a {spec} interaction has one provider state at most")
        if options.states:
            interaction["providerState"] = options.states[0][0]
    elif options.states:
        interaction["providerStates"] = [
            {"name": name, "params": dict(params)} if params else {"name": name}
            for name, params in options.states
        ]
    if spec == "V4":
        interaction["type"] = "Synchronous/HTTP"
        if options.pending:
            interaction["pending"] = True
        if options.comments:
            interaction["comments"] = dict(options.comments)
    elif options.pending or options.comments:
        raise ValueError(f"pending and comments are V4 features; this is a {spec} pact")
    interaction["request"] = _request(row, spec)
    interaction["response"] = _response(row, spec)
    return interaction


def pact_json(
    consumer: str, provider: str, interactions: Sequence[dict[str, Any]], spec: str
) -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": SPEC_VERSIONS[spec]}},
    }


# --- the broker -------------------------------------------------------------------------------


def publish_pact(broker_url: str, document: Mapping[str, Any], version: str) -> None:
    """Publish ``document`` as the consumer's ``version`` (branch ``main``), as a client would."""
    content = base64.b64encode(json.dumps(document).encode("utf-8")).decode("ascii")
    body = {
        "pacticipantName": document["consumer"]["name"],
        "pacticipantVersionNumber": version,
        "branch": "main",
        "contracts": [
            {
                "consumerName": document["consumer"]["name"],
                "providerName": document["provider"]["name"],
                "specification": "pact",
                "contentType": "application/json",
                "content": content,
            }
        ],
    }
    answer = requests.post(f"{broker_url}/contracts/publish", json=body, timeout=30)
    if answer.status_code not in (200, 201):
        raise AssertionError(f"the broker refused the pact: {answer.status_code} {answer.text}")


def latest_verification(
    broker_url: str, provider: str, consumer: str, version: str
) -> Mapping[str, Any] | None:
    """The verification result the broker holds for a pact, ``None`` when it has none."""
    pact_url = f"{broker_url}/pacts/provider/{provider}/consumer/{consumer}/version/{version}"
    pact = requests.get(pact_url, timeout=30)
    pact.raise_for_status()
    link = pact.json()["_links"].get("pb:latest-verification-results")
    if link is None:
        return None
    answer = requests.get(link["href"], timeout=30)
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    stored: Mapping[str, Any] = answer.json()
    return stored


def pact_file(directory: Path, document: Mapping[str, Any]) -> Path:
    name = f"{document['consumer']['name']}-{document['provider']['name']}.json"
    path = directory / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
