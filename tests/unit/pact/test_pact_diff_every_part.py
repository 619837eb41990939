"""``accord.pact.diff`` beyond responses: interactions paired across a provider state change,
a change of interaction kind, response messages added, and response rules on headers."""

from typing import Any

from accord.pact import parse_pact
from accord.pact.diff import diff_pacts


def _pact(*interactions: dict[str, Any]) -> Any:
    return parse_pact(
        {
            "consumer": {"name": "Web"},
            "provider": {"name": "Accounts"},
            "interactions": list(interactions),
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )


def _http(states: list[dict[str, Any]], **response: Any) -> dict[str, Any]:
    return {
        "type": "Synchronous/HTTP",
        "description": "get account",
        "providerStates": states,
        "request": {"method": "GET", "path": "/accounts/1"},
        "response": {"status": 200, **response},
    }


def _found(old: Any, new: Any) -> set[tuple[bool, str, str]]:
    return {(c.asks_more, c.location, c.message) for c in diff_pacts(old, new)}


def test_a_new_provider_state_is_a_change_to_the_interaction_not_a_new_one() -> None:
    old = _pact(_http([]))
    new = _pact(_http([{"name": "account 1 exists", "params": {"id": 1}}]))

    assert _found(old, new) == {
        (
            True,
            "providerStates['account 1 exists']",
            "the provider state 'account 1 exists' is now given with id=1",
        ),
    }
    assert _found(new, old) == {
        (
            False,
            "providerStates['account 1 exists']",
            "the provider state 'account 1 exists' is no longer given",
        ),
    }


def test_a_response_header_value_under_a_rule_asks_nothing_more() -> None:
    rules = {
        "header": {"X-Id": {"combine": "AND", "matchers": [{"match": "regex", "regex": "\\d+"}]}}
    }
    old = _pact(_http([], headers={"X-Id": ["1"], "X-Kind": ["a"]}, matchingRules=rules))
    new = _pact(_http([], headers={"X-Id": ["2"], "X-Kind": ["b"]}, matchingRules=rules))

    assert _found(old, new) == {
        (
            False,
            "response.headers.X-Id",
            "response header 'X-Id' changed from '1' to '2' (a matching rule accepts both)",
        ),
        (True, "response.headers.X-Kind", "response header 'X-Kind' changed from 'a' to 'b'"),
    }


def test_a_kind_change_and_an_added_response_message() -> None:
    def sync(responses: int) -> dict[str, Any]:
        return {
            "type": "Synchronous/Messages",
            "description": "get account",
            "request": {"contents": {"content": "1", "contentType": "text/plain"}},
            "response": [{"contents": {"content": "Ann", "contentType": "text/plain"}}] * responses,
        }

    assert _found(_pact(sync(1)), _pact(sync(2))) == {
        (True, "response[1]", "a response message was added")
    }
    assert _found(_pact(sync(2)), _pact(sync(1))) == {
        (False, "response[1]", "a response message was removed")
    }
    assert _found(_pact(_http([])), _pact(sync(1))) == {
        (
            True,
            "interaction",
            "the interaction changed from an HTTP interaction to a synchronous message",
        )
    }
