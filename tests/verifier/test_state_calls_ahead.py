"""The next interaction's state change is sent while the previous answer is matched.

What must not change is what the provider sees (every call, in the order a call-by-call run
makes them) and the verdicts: these tests read the provider's own log of requests.
"""

import json
from typing import Any

import requests
from verifier_providers import get_account_interaction, pact_document

from accord.verifier import verify


def _run(pact: Any, url: str, **options: Any) -> Any:
    return verify(
        files=[pact],
        provider_base_url=url,
        state_change_url=f"{url}/_pact/state",
        output=None,
        raise_on_failure=False,
        **options,
    )


def _seen(app: Any) -> list[Any]:
    """The provider's requests in arrival order: a state change's JSON, or ``GET <path>``."""
    return [
        json.loads(request["body"])
        if request["path"] == "/_pact/state"
        else f"{request['method']} {request['path']}"
        for request in app.state.requests
    ]


def _state_call(state: str, params: dict[str, Any], action: str = "setup") -> dict[str, Any]:
    return {"state": state, "params": params, "action": action}


def _without_state(description: str, account_id: int) -> dict[str, Any]:
    interaction = get_account_interaction(description, account_id=account_id)
    del interaction["providerStates"]
    return interaction


def test_the_provider_sees_each_setup_then_its_request_in_order(write_pact, serve_accounts) -> None:
    server, app = serve_accounts()
    pact = write_pact(
        pact_document(
            [
                get_account_interaction("first", account_id=1),
                get_account_interaction("second", account_id=2),
                # no state: the empty state is set up (a reset), as the Pact verifiers do
                _without_state("third", 2),
            ]
        )
    )
    result = _run(pact, server.url)
    assert [r.description for r in result.pacts[0].interactions] == ["first", "second", "third"]
    assert [r.outcome for r in result.pacts[0].interactions] == ["passed", "passed", "passed"]
    assert _seen(app) == [
        _state_call("an account exists", {"id": 1, "owner": "alice"}),
        "GET /accounts/1",
        _state_call("an account exists", {"id": 2, "owner": "alice"}),
        "GET /accounts/2",
        _state_call("", {}),
        "GET /accounts/2",
    ]


def test_a_state_change_sent_ahead_that_fails_fails_its_own_interaction(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts()
    broken = get_account_interaction("second", account_id=2)
    broken["providerStates"] = [{"name": "broken state"}]
    pact = write_pact(pact_document([get_account_interaction("first", account_id=1), broken]))
    result = _run(pact, server.url)
    first, second = result.pacts[0].interactions
    assert first.outcome == "passed" and first.error is None
    assert second.error is not None
    assert "broken state" in second.error and "HTTP 500" in second.error


def test_nothing_is_sent_ahead_when_the_run_stops_at_the_first_failure(
    write_pact, serve_accounts
) -> None:
    server, app = serve_accounts()
    failing = get_account_interaction("first", account_id=1)
    failing["response"]["status"] = 201
    pact = write_pact(pact_document([failing, get_account_interaction("second", account_id=2)]))
    result = _run(pact, server.url, exit_on_first_error=True)
    assert [r.outcome for r in result.pacts[0].interactions] == ["failed"]
    # one more request, answered after anything the verifier sent before it finished
    assert requests.get(f"{server.url}/accounts/1", timeout=10).status_code == 200
    assert _seen(app)[:-1] == [
        _state_call("an account exists", {"id": 1, "owner": "alice"}),
        "GET /accounts/1",
    ]


def test_with_teardown_calls_the_order_stays_setup_request_teardown(
    write_pact, serve_accounts
) -> None:
    server, app = serve_accounts()
    pact = write_pact(
        pact_document(
            [
                get_account_interaction("first", account_id=1),
                get_account_interaction("second", account_id=2),
            ]
        )
    )
    result = _run(pact, server.url, state_change_teardown=True)
    assert result.success
    first = {"id": 1, "owner": "alice"}
    second = {"id": 2, "owner": "alice"}
    assert _seen(app) == [
        _state_call("an account exists", first),
        "GET /accounts/1",
        _state_call("an account exists", first, "teardown"),
        _state_call("an account exists", second),
        "GET /accounts/2",
        _state_call("an account exists", second, "teardown"),
    ]
