"""When a consumer test and its pact disagree, the failure says what was seen and expected."""

import pytest

PYPROJECT = """
[tool.pytest.ini_options]
filterwarnings = ["error"]
"""

HEADER = """
import json
import pytest
import requests
from pact import match

pytestmark = pytest.mark.pact(consumer="web", provider="accounts")


def declare_balance(pact):
    (
        pact.upon_receiving("a request for the balance of account 42")
        .given("an account exists", id=42, balance=100)
        .with_request("GET", "/accounts/42/balance")
        .will_respond_with(200)
        .with_body({"balance": match.integer(100)}, content_type="application/json")
    )
    (
        pact.upon_receiving("a login")
        .with_request("POST", "/login")
        .with_body({"username": match.like("alice")}, content_type="application/json")
        .will_respond_with(200)
        .with_body({"token": match.like("t")}, content_type="application/json")
    )
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PACT_DO_NOT_TRACK", "true")
    pytester.makepyprojecttoml(PYPROJECT)
    return pytester


def run_test(project: pytest.Pytester, body: str) -> pytest.RunResult:
    project.makepyfile(test_consumer=HEADER + body)
    return project.runpytest()


def test_an_unexpected_request_shows_the_request_and_the_closest_expected_interaction(
    project: pytest.Pytester,
) -> None:
    result = run_test(
        project,
        """
def test_typo(pact):
    declare_balance(pact)
    with pact.serve() as server:
        requests.get(f"{server.url}/accounts/42/balanse", headers={"X-Trace": "abc"})
        requests.post(f"{server.url}/login", json={"username": "alice"})
""",
    )

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ConsumerContractError: the mock server for web → accounts did not see what the"
            " pact expects:",
            "*(1) unexpected request GET /accounts/42/balanse",
            "*header x-trace: abc",
            "*closest expected interaction:",
            "*'a request for the balance of account 42'",
            '*given \'an account exists\' {"balance": 100, "id": 42}',
            "*expects GET /accounts/42/balance",
            "*(2) interaction 'a request for the balance of account 42' was never exercised",
        ]
    )


def test_a_request_that_differs_names_the_interaction_and_the_difference(
    project: pytest.Pytester,
) -> None:
    result = run_test(
        project,
        """
def test_wrong_body(pact):
    declare_balance(pact)
    with pact.serve() as server:
        requests.get(f"{server.url}/accounts/42/balance")
        requests.post(f"{server.url}/login", json={"username": 7})
""",
    )

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*request POST /login differs from the pact (interaction 'a login'):",
            "*body $.username: Expected 7 (Integer) to be the same type as *",
        ]
    )


def test_an_interaction_the_test_never_calls_fails_the_test(project: pytest.Pytester) -> None:
    result = run_test(
        project,
        """
def test_only_login(pact):
    declare_balance(pact)
    with pact.serve() as server:
        requests.post(f"{server.url}/login", json={"username": "alice"})
""",
    )

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*(1) interaction 'a request for the balance of account 42' was never exercised"]
    )
    assert not (project.path / "pacts").exists() or not list((project.path / "pacts").glob("*"))


def test_a_test_that_never_starts_the_mock_server_fails_with_a_hint(
    project: pytest.Pytester,
) -> None:
    result = run_test(project, "\ndef test_forgot(pact):\n    declare_balance(pact)\n")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "InteractionNotExercisedError: the test declared HTTP interactions for web → accounts"
            " but never exercised them:",
            "  - 'a login'",
            "  - 'a request for the balance of account 42'",
            "start the mock server with `with pact.serve() as server:` and call it",
        ]
    )


def test_a_message_never_fed_to_the_handler_fails_the_test(project: pytest.Pytester) -> None:
    result = run_test(
        project,
        """
def test_event(pact):
    pact.upon_receiving("a transfer-completed event", "Async").with_body(
        {"id": "t-1"}, content_type="application/json"
    )
""",
    )

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*declared message interactions for web → accounts but never exercised them:",
            "  - 'a transfer-completed event'",
            '*pact.verify(handler, "Async")*',
        ]
    )


def test_a_message_handler_that_raises_names_the_message_and_the_error(
    project: pytest.Pytester,
) -> None:
    result = run_test(
        project,
        """
def test_event(pact):
    pact.upon_receiving("a transfer-completed event", "Async").with_body(
        {"id": "t-1"}, content_type="application/json"
    )

    def handler(body, metadata):
        raise KeyError("amount")

    pact.verify(handler, "Async")
""",
    )

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*'a transfer-completed event': KeyError('amount')*"])
