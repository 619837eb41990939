"""The in-process mode: an ASGI or WSGI app object is verified without a server or port."""

from typing import Any

from fastapi import FastAPI
from verifier_providers import accounts_app, get_account_interaction, pact_document

from accord.verifier import ProviderStates, verify


def _states_for(app: FastAPI) -> ProviderStates:
    states = ProviderStates()

    @states("an account exists")
    def account(params: dict[str, Any]) -> None:
        account_id = int(params["id"])
        app.state.accounts[account_id] = {"id": account_id, "owner": params["owner"], "balance": 9}

    return states


def test_a_fastapi_app_object_is_verified_in_process(write_pact) -> None:
    app = accounts_app()
    pact = write_pact(pact_document([get_account_interaction()]))
    result = verify(files=[pact], app=app, provider_states=_states_for(app), output=None)
    assert result.success
    assert app.state.requests[-1]["path"] == "/accounts/42"


def test_in_process_failures_look_the_same_as_over_http(write_pact) -> None:
    app = accounts_app({"missing-field"})
    pact = write_pact(pact_document([get_account_interaction()]))
    result = verify(
        files=[pact],
        app=app,
        provider_states=_states_for(app),
        output=None,
        raise_on_failure=False,
    )
    [failed] = result.failures
    assert any("owner" in m.path for m in failed.mismatches)


def test_the_apps_lifespan_runs_once_around_the_verification(write_pact) -> None:
    from contextlib import asynccontextmanager

    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        events.append("startup")
        yield
        events.append("shutdown")

    app = FastAPI(lifespan=lifespan)

    @app.get("/ping")
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    interaction = {
        "description": "ping",
        "request": {"method": "GET", "path": "/ping"},
        "response": {"status": 200, "body": {"ok": True}},
    }
    pact = write_pact(pact_document([interaction, {**interaction, "description": "ping again"}]))
    result = verify(files=[pact], app=app, output=None)
    assert result.success
    assert events == ["startup", "shutdown"]


def test_a_wsgi_app_is_called_directly(write_pact) -> None:
    def wsgi_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = f'{{"path": "{environ["PATH_INFO"]}", "q": "{environ["QUERY_STRING"]}"}}'
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body.encode()]

    interaction = {
        "description": "wsgi",
        "request": {"method": "GET", "path": "/hello world", "query": "a=1"},
        "response": {"status": 200, "body": {"path": "/hello world", "q": "a=1"}},
    }
    pact = write_pact(pact_document([interaction]))
    result = verify(files=[pact], app=wsgi_app, output=None, raise_on_failure=False)
    assert result.success, result.failures
