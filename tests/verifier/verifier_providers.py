"""Small real providers for the verifier's tests: FastAPI apps served by uvicorn.

The accounts provider keeps its state in memory and exposes a state-change endpoint
(``/_pact/state``) that records every call, so tests can assert what the verifier sent.
``faults`` switches seeded faults on by name, so one app serves both the passing and the
failing case.
"""

import base64
import json
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse


def accounts_app(faults: set[str] | None = None) -> FastAPI:
    faults = faults if faults is not None else set()
    app = FastAPI()
    app.state.accounts = {}
    app.state.state_calls = []
    app.state.requests = []
    accounts: dict[int, dict[str, Any]] = app.state.accounts

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        body = await request.body()
        app.state.requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": request.url.query,
                "headers": dict(request.headers),
                "body": body,
            }
        )
        response: Response = await call_next(request)
        return response

    @app.post("/_pact/state")
    async def state(request: Request) -> Response:
        body = await request.body()
        call: dict[str, Any] = {"query": dict(request.query_params)}
        if body:
            call["body"] = json.loads(body)
        app.state.state_calls.append(call)
        data = call.get("body") or call["query"]
        if data.get("action", "setup") == "setup" and data.get("state") == "an account exists":
            params = data.get("params") or {}
            account_id = int(params.get("id", 42))
            accounts[account_id] = {
                "id": account_id,
                "owner": params.get("owner", "alice"),
                "balance": params.get("balance", 100),
            }
            return JSONResponse({"accountId": account_id})
        if data.get("state") == "broken state":
            return PlainTextResponse("state setup exploded", status_code=500)
        return JSONResponse({})

    @app.get("/accounts/{account_id}")
    async def get_account(account_id: int) -> Response:
        account = accounts.get(account_id)
        if account is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        body = dict(account)
        if "missing-field" in faults:
            body.pop("owner")
        if "wrong-type" in faults:
            body["balance"] = str(body["balance"])
        status = 201 if "wrong-status" in faults else 200
        return JSONResponse(body, status_code=status)

    @app.get("/accounts")
    async def list_accounts(owner: str | None = None) -> Response:
        found = [a for a in accounts.values() if owner is None or a["owner"] == owner]
        if "extra-items" in faults:
            found = found + found
        headers = {"X-Total": str(len(found))}
        if "header" in faults:
            headers["X-Total"] = "many"
        return JSONResponse(found, headers=headers)

    @app.get("/echo-headers")
    async def echo_headers(request: Request) -> Response:
        return JSONResponse({k: v for k, v in request.headers.items()})

    @app.post("/files")
    async def upload(request: Request) -> Response:
        data = await request.body()
        return Response(data[::-1], media_type="application/octet-stream")

    @app.get("/old")
    async def old() -> Response:
        return RedirectResponse("/accounts", status_code=302)

    @app.get("/version")
    async def version() -> Response:
        text = "v2" if "regex" in faults else "1.2.3"
        return PlainTextResponse(text)

    @app.post("/messages")
    async def messages(request: Request) -> Response:
        asked = await request.json()
        app.state.state_calls.append({"message": asked})
        metadata = {"topic": "transfers" if "metadata" not in faults else "payments"}
        encoded = base64.b64encode(json.dumps(metadata).encode()).decode()
        contents = {"transferId": "t-1", "amount": 10}
        if "message-body" in faults:
            contents["amount"] = "ten"
        return JSONResponse(contents, headers={"Pact-Message-Metadata": encoded})

    return app


def pact_document(
    interactions: list[dict[str, Any]],
    *,
    consumer: str = "web",
    provider: str = "accounts",
    spec: str = "3.0.0",
    messages: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": spec}},
    }
    if messages is not None:
        document["messages"] = messages
        if not interactions:
            del document["interactions"]
    return document


def get_account_interaction(
    description: str = "a request for account 42", *, account_id: int = 42
) -> dict[str, Any]:
    """A V3 interaction with a provider state and type/regex matching rules."""
    return {
        "description": description,
        "providerStates": [
            {"name": "an account exists", "params": {"id": account_id, "owner": "alice"}}
        ],
        "request": {"method": "GET", "path": f"/accounts/{account_id}"},
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "body": {"id": account_id, "owner": "alice", "balance": 100},
            "matchingRules": {
                "body": {
                    "$.balance": {"matchers": [{"match": "integer"}]},
                    "$.owner": {"matchers": [{"match": "type"}]},
                }
            },
        },
    }
