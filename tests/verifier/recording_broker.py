"""A tiny recording Pact Broker (HAL) for the verifier's broker-source tests.

It speaks just enough of the Pact Broker API (index, for-verification, pacts with ``_links``,
pacticipant branch/tag PUTs, verification results) and records every request, so tests can
assert the exchange. Faults are switched on by name: ``"503-once"`` fails the first
for-verification POST, ``"auth"`` requires ``Authorization``, ``"legacy"`` leaves
for-verification out of the index.
"""

import json
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse


def recording_broker(
    pacts: dict[str, dict[str, Any]],
    *,
    pending: set[str] | None = None,
    wip: set[str] | None = None,
    faults: set[str] | None = None,
    expected_auth: str | None = None,
) -> FastAPI:
    """``pacts`` maps a pact id (used in its URL) to its document."""
    pending = pending or set()
    wip = wip or set()
    faults = faults or set()
    app = FastAPI()
    app.state.calls = []
    app.state.published = {}
    failures_left = {"for-verification": 1 if "503-once" in faults else 0}

    def hal(body: dict[str, Any], status: int = 200) -> Response:
        return Response(json.dumps(body), status, media_type="application/hal+json")

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        body = await request.body()
        app.state.calls.append(
            {
                "method": request.method,
                "path": request.scope["raw_path"].decode(),
                "body": json.loads(body) if body else None,
                "authorization": request.headers.get("authorization"),
            }
        )
        if expected_auth and request.headers.get("authorization") != expected_auth:
            return JSONResponse({"error": "bad credentials"}, status_code=401)
        response: Response = await call_next(request)
        return response

    @app.get("/")
    async def index(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        links: dict[str, Any] = {
            "self": {"href": base},
            "pb:latest-provider-pacts": {
                "href": base + "/pacts/provider/{provider}/latest",
                "templated": True,
            },
        }
        if "legacy" not in faults:
            links["pb:provider-pacts-for-verification"] = {
                "href": base + "/pacts/provider/{provider}/for-verification",
                "templated": True,
            }
        return hal({"_links": links})

    @app.get("/pacts/provider/{provider}/for-verification")
    async def for_verification_links(provider: str, request: Request) -> Response:
        return hal({"_links": {"self": {"href": str(request.url)}}})

    @app.post("/pacts/provider/{provider}/for-verification")
    async def for_verification(provider: str, request: Request) -> Response:
        if failures_left["for-verification"]:
            failures_left["for-verification"] -= 1
            return JSONResponse({"error": "try again"}, status_code=503)
        base = str(request.base_url).rstrip("/")
        entries = []
        for pact_id in pacts:
            properties: dict[str, Any] = {
                "notices": [{"when": "before_verification", "text": f"verifying {pact_id}"}]
            }
            if pact_id in pending:
                properties["pending"] = True
            if pact_id in wip:
                properties["wip"] = True
                properties["pending"] = True
            entries.append(
                {
                    "shortDescription": "latest from main branch",
                    "verificationProperties": properties,
                    "_links": {"self": {"href": f"{base}/pacts/x/{pact_id}"}},
                }
            )
        return hal(
            {"_embedded": {"pacts": entries}, "_links": {"self": {"href": str(request.url)}}}
        )

    @app.get("/pacts/provider/{provider}/latest")
    async def latest(provider: str, request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return hal({"_links": {"pacts": [{"href": f"{base}/pacts/x/{p}"} for p in pacts]}})

    @app.get("/pacts/x/{pact_id}")
    async def pact(pact_id: str, request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        document = dict(pacts[pact_id])
        document["_links"] = {
            "pb:publish-verification-results": {
                "href": f"{base}/pacts/x/{pact_id}/verification-results"
            },
            "pb:provider": {"href": f"{base}/pacticipants/{document['provider']['name']}"},
        }
        return hal(document)

    @app.get("/pacticipants/{name}")
    async def pacticipant(name: str, request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return hal(
            {
                "name": name,
                "_links": {
                    "pb:branch-version": {
                        "href": base
                        + f"/pacticipants/{name}/branches/{{branch}}/versions/{{version}}",
                        "templated": True,
                    },
                    "pb:version-tag": {
                        "href": base + f"/pacticipants/{name}/versions/{{version}}/tags/{{tag}}",
                        "templated": True,
                    },
                },
            }
        )

    @app.put("/pacticipants/{name}/branches/{branch:path}")
    async def branch_version(name: str, branch: str) -> Response:
        return hal({}, 201)

    @app.put("/pacticipants/{name}/versions/{version}/tags/{tag:path}")
    async def version_tag(name: str, version: str, tag: str) -> Response:
        return hal({}, 201)

    @app.post("/pacts/x/{pact_id}/verification-results")
    async def publish(pact_id: str, request: Request) -> Response:
        app.state.published[pact_id] = await request.json()
        return hal({"_links": {"self": {"href": str(request.url)}}}, 201)

    return app
