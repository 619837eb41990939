"""Provider states: the state-change URL protocol and in-process Python handlers."""

from typing import Any

from verifier_providers import get_account_interaction, pact_document

from accord.verifier import ProviderStates, verify


def _run(pact: Any, url: str, **options: Any) -> Any:
    return verify(
        files=[pact], provider_base_url=url, output=None, raise_on_failure=False, **options
    )


def test_the_state_change_url_gets_state_params_and_action_as_json(
    write_pact, serve_accounts
) -> None:
    server, app = serve_accounts()
    pact = write_pact(pact_document([get_account_interaction()]))
    result = _run(pact, server.url, state_change_url=f"{server.url}/_pact/state")
    assert result.success
    assert app.state.state_calls == [
        {
            "query": {},
            "body": {
                "state": "an account exists",
                "params": {"id": 42, "owner": "alice"},
                "action": "setup",
            },
        }
    ]


def test_teardown_calls_follow_each_interaction_when_asked(write_pact, serve_accounts) -> None:
    server, app = serve_accounts()
    pact = write_pact(
        pact_document([get_account_interaction("first"), get_account_interaction("second")])
    )
    result = _run(
        pact,
        server.url,
        state_change_url=f"{server.url}/_pact/state",
        state_change_teardown=True,
    )
    assert result.success
    actions = [call["body"]["action"] for call in app.state.state_calls]
    assert actions == ["setup", "teardown", "setup", "teardown"]


def test_state_data_can_travel_as_query_parameters(write_pact, serve_accounts) -> None:
    server, app = serve_accounts()
    pact = write_pact(pact_document([get_account_interaction()]))
    result = _run(
        pact,
        server.url,
        state_change_url=f"{server.url}/_pact/state",
        state_change_as_query=True,
    )
    assert result.success
    [call] = app.state.state_calls
    assert "body" not in call
    assert call["query"] == {
        "state": "an account exists",
        "action": "setup",
        "id": "42",
        "owner": "alice",
    }


def test_a_failing_state_change_fails_the_interaction_with_the_reason(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts()
    interaction = get_account_interaction()
    interaction["providerStates"] = [{"name": "broken state"}]
    pact = write_pact(pact_document([interaction]))
    result = _run(pact, server.url, state_change_url=f"{server.url}/_pact/state")
    [failed] = result.failures
    assert failed.error is not None
    assert "broken state" in failed.error and "500" in failed.error


def _generated_path_interaction() -> dict[str, Any]:
    interaction = get_account_interaction()
    interaction["request"]["path"] = "/accounts/1"
    interaction["request"]["generators"] = {
        "path": {"type": "ProviderState", "expression": "/accounts/${accountId}"}
    }
    interaction["response"]["body"]["id"] = 1
    interaction["response"]["matchingRules"]["body"]["$.id"] = {"matchers": [{"match": "integer"}]}
    return interaction


def test_in_process_handlers_get_params_and_feed_provider_state_generators(
    write_pact, serve_accounts
) -> None:
    server, app = serve_accounts()
    states = ProviderStates()
    torn_down: list[dict[str, Any]] = []

    @states("an account exists", teardown=torn_down.append)
    def account(params: dict[str, Any]) -> dict[str, Any]:
        app.state.accounts[777] = {"id": 777, "owner": params["owner"], "balance": 5}
        return {"accountId": 777}

    pact = write_pact(pact_document([_generated_path_interaction()]))
    result = _run(pact, server.url, provider_states=states)
    assert result.success, result.failures
    assert app.state.requests[-1]["path"] == "/accounts/777"
    assert torn_down == [{"id": 42, "owner": "alice"}]


def test_state_change_url_answers_feed_generators_too(write_pact, serve_accounts) -> None:
    server, app = serve_accounts()
    pact = write_pact(pact_document([_generated_path_interaction()]))
    result = _run(pact, server.url, state_change_url=f"{server.url}/_pact/state")
    assert result.success, result.failures
    assert app.state.requests[-1]["path"] == "/accounts/42"


def test_a_state_without_a_handler_is_a_clear_failure(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    states = ProviderStates()
    states.add("something else", lambda: None)
    pact = write_pact(pact_document([get_account_interaction()]))
    result = _run(pact, server.url, provider_states=states)
    [failed] = result.failures
    assert "no handler for provider state 'an account exists'" in (failed.error or "")


def test_a_handler_that_raises_fails_the_interaction_but_teardown_still_runs(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts()
    calls: list[str] = []
    states = ProviderStates()

    def explode(params: dict[str, Any]) -> None:
        raise ValueError("database is down")

    states.add("an account exists", explode, teardown=lambda: calls.append("teardown"))
    pact = write_pact(pact_document([get_account_interaction()]))
    result = _run(pact, server.url, provider_states=states)
    [failed] = result.failures
    assert "ValueError: database is down" in (failed.error or "")
    assert calls == ["teardown"]


def test_async_handlers_and_the_generic_hook_are_supported(write_pact, serve_accounts) -> None:
    server, app = serve_accounts()
    states = ProviderStates()

    @states("")
    async def anything(params: dict[str, Any]) -> None:
        app.state.accounts[42] = {"id": 42, "owner": "alice", "balance": 1}

    pact = write_pact(pact_document([get_account_interaction()]))
    assert _run(pact, server.url, provider_states=states).success
