"""transfers verifies the pacts a broker selects for it (HTTP and the event) and publishes.

The transfers twin of ``providers/accounts/tests/test_accounts_broker_verification.py`` (read
its docstring for the command and the environment). The HTTP interactions run in-process with
an in-memory accounts gateway seeded by the provider states; the ``transfer-completed`` event
comes from ``providers.transfers.states.MESSAGES``, called in-process.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from accord.verifier import MessageProducers, ProviderStates
from providers.accounts.tests.test_accounts_broker_verification import (
    broker_verification_options,
    skip_unless_asked,
)
from providers.transfers.accounts_client import InMemoryAccounts
from providers.transfers.app import create_app
from providers.transfers.states import MESSAGES, TransfersContext
from providers.transfers.tests.test_transfers_verification import transfers_provider_states

OPTIONS = broker_verification_options("transfers", os.environ)
skip_unless_asked(OPTIONS)
pytestmark = pytest.mark.accord_pacts(**OPTIONS)


@pytest.fixture(scope="session")
def transfers_context(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, TransfersContext]:
    database: Path = tmp_path_factory.mktemp("transfers-provider") / "transfers.sqlite"
    accounts = InMemoryAccounts()
    app = create_app(f"sqlite:///{database}", accounts)
    return app, TransfersContext(app.state.sessions, accounts)


@pytest.fixture(scope="session")
def accord_provider(transfers_context: tuple[Any, TransfersContext]) -> Any:
    return transfers_context[0]


@pytest.fixture(scope="session")
def accord_options() -> Mapping[str, Any]:
    return {"message_producers": MessageProducers(MESSAGES)}


@pytest.fixture
def accord_provider_states(transfers_context: tuple[Any, TransfersContext]) -> ProviderStates:
    return transfers_provider_states(transfers_context[1])


def test_transfers_honours(accord_interaction: Any) -> None:
    accord_interaction.verify()
