"""transfers honours the pacts of web (HTTP) and notifications (a message), checked by accord.

The pacts are written in this session by the consumers' own contract tests (see
``write_consumer_pacts``). The HTTP interactions run in-process against the FastAPI app, whose
accounts gateway is an ``InMemoryAccounts`` seeded by the provider states; the
``transfer-completed`` event comes from the same producer function the service's outbox uses,
called in-process.
"""

from pathlib import Path
from typing import Any

import pytest

from accord.testing import serve_app
from accord.verifier import MessageProducers, ProviderStates, VerificationResult, verify
from providers.accounts.tests.test_accounts_verification import write_consumer_pacts
from providers.transfers.accounts_client import InMemoryAccounts
from providers.transfers.app import create_app
from providers.transfers.states import MESSAGES, STATES, TransfersContext, reset, set_up_state

CONSUMER_TESTS_OF_TRANSFERS = (
    "consumers/web/tests/test_transfers_pact.py",
    "consumers/notifications/tests/test_transfer_events_pact.py",
)


def transfers_provider_states(context: TransfersContext) -> ProviderStates:
    """Every state of ``providers.transfers.states``; all is emptied after each interaction."""
    states = ProviderStates()
    for name in STATES:
        states.add(
            name,
            lambda params, name=name: set_up_state(context, name, params),
            teardown=lambda: reset(context),
        )
    return states


@pytest.fixture(scope="session")
def transfers_pacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_consumer_pacts(
        tmp_path_factory.mktemp("transfers-pacts"), CONSUMER_TESTS_OF_TRANSFERS
    )


@pytest.fixture
def transfers(tmp_path: Path) -> tuple[Any, TransfersContext]:
    accounts = InMemoryAccounts()
    app = create_app(f"sqlite:///{tmp_path / 'transfers.sqlite'}", accounts)
    return app, TransfersContext(app.state.sessions, accounts)


def verify_transfers(
    pacts: Path,
    transfers: tuple[Any, TransfersContext],
    messages: MessageProducers | None = None,
) -> VerificationResult:
    app, context = transfers
    return verify(
        dirs=[pacts],
        provider_name="transfers",
        app=app,
        provider_states=transfers_provider_states(context),
        message_producers=messages or MessageProducers(MESSAGES),
        output=None,
        raise_on_failure=False,
    )


def test_transfers_honours_the_web_pact_and_the_notifications_message_pact(
    transfers_pacts: Path, transfers: tuple[Any, TransfersContext]
) -> None:
    result = verify_transfers(transfers_pacts, transfers)

    assert {pact.consumer for pact in result.pacts} == {"web", "notifications"}
    assert {r.kind for r in result.interactions} == {"http", "message"}
    assert [r.test_id for r in result.interactions if r.outcome != "passed"] == []
    assert result.success


def test_insufficient_funds_in_the_seeded_accounts_is_the_422_web_expects(
    transfers_pacts: Path, transfers: tuple[Any, TransfersContext]
) -> None:
    result = verify_transfers(transfers_pacts, transfers)

    refused = [r for r in result.interactions if "larger than the balance" in r.description]
    assert [r.outcome for r in refused] == ["passed"]


def test_transfers_served_by_uvicorn_honours_the_web_pact_over_http(
    transfers_pacts: Path, transfers: tuple[Any, TransfersContext]
) -> None:
    app, context = transfers

    with serve_app(app) as server:
        result = verify(
            dirs=[transfers_pacts],
            provider_name="transfers",
            provider_base_url=server.url,
            provider_states=transfers_provider_states(context),
            message_producers=MessageProducers(MESSAGES),
            output=None,
        )

    assert result.success
    assert len([r for r in result.interactions if r.kind == "http"]) >= 2


def test_an_event_without_its_completion_time_breaks_the_notifications_pact(
    transfers_pacts: Path, transfers: tuple[Any, TransfersContext]
) -> None:
    def event_without_completed_at() -> dict[str, Any]:
        event = MESSAGES["a transfer-completed event"]()
        del event["contents"]["completedAt"]
        return event

    result = verify_transfers(
        transfers_pacts,
        transfers,
        MessageProducers({"a transfer-completed event": event_without_completed_at}),
    )

    assert [r.test_id for r in result.failures] == ["notifications::a transfer-completed event"]
    (failure,) = result.failures
    assert any("completedAt" in m.path for m in failure.mismatches), failure.mismatches


def test_a_message_without_a_producer_fails_and_names_the_known_producers(
    transfers_pacts: Path,
) -> None:
    result = verify(
        dirs=[transfers_pacts],
        provider_name="transfers",
        filter_consumer=["notifications"],
        message_producers=MessageProducers({"some other event": lambda: {}}),
        output=None,
        raise_on_failure=False,
    )

    (failure,) = result.failures
    assert failure.kind == "message"
    assert "no producer for message 'a transfer-completed event'" in str(failure.error)
    assert "'some other event'" in str(failure.error)
