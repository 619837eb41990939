"""Transfers on a real uvicorn server, calling a real accounts server over HTTP."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from accord.testing import ServerHandle, free_port, serve_app
from providers.accounts.app import create_app as create_accounts
from providers.accounts.states import set_up_state
from providers.transfers.accounts_client import HttpAccounts
from providers.transfers.app import create_app as create_transfers

AUTH = {"Authorization": "Bearer tok-alice"}


@pytest.fixture
def bank(tmp_path: Path) -> Iterator[tuple[ServerHandle, ServerHandle]]:
    accounts_app = create_accounts(f"sqlite:///{tmp_path / 'accounts.sqlite'}", breaking=False)
    for account_id, balance in [(1, 10_000), (2, 0)]:
        set_up_state(
            accounts_app.state.sessions,
            "an account with a balance",
            {"accountId": account_id, "balance": balance, "token": "tok-alice"},
        )
    with serve_app(accounts_app) as accounts:
        transfers_app = create_transfers(
            f"sqlite:///{tmp_path / 'transfers.sqlite'}", HttpAccounts(accounts.url)
        )
        with serve_app(transfers_app) as transfers:
            yield accounts, transfers


def balance_of(accounts: ServerHandle, account_id: int) -> int:
    response = requests.get(f"{accounts.url}/accounts/{account_id}/balance", headers=AUTH)
    return int(response.json()["balance"])


def test_a_transfer_moves_money_between_real_accounts(
    bank: tuple[ServerHandle, ServerHandle],
) -> None:
    accounts, transfers = bank

    response = requests.post(
        f"{transfers.url}/transfers",
        json={"fromAccountId": 1, "toAccountId": 2, "amount": 1250},
        headers=AUTH,
    )

    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "completed"
    assert requests.get(f"{transfers.url}/transfers/{created['id']}").json() == created
    assert (balance_of(accounts, 1), balance_of(accounts, 2)) == (8750, 1250)


def test_insufficient_funds_is_422_and_no_money_moves(
    bank: tuple[ServerHandle, ServerHandle],
) -> None:
    accounts, transfers = bank

    response = requests.post(
        f"{transfers.url}/transfers",
        json={"fromAccountId": 1, "toAccountId": 2, "amount": 20_000},
        headers=AUTH,
    )

    assert response.status_code == 422
    assert response.json()["error"] == "insufficient_funds"
    assert (balance_of(accounts, 1), balance_of(accounts, 2)) == (10_000, 0)


def test_an_unreachable_accounts_service_is_502_not_a_crash(tmp_path: Path) -> None:
    nowhere = HttpAccounts(f"http://127.0.0.1:{free_port()}")
    app = create_transfers(f"sqlite:///{tmp_path / 'transfers.sqlite'}", nowhere)

    with serve_app(app) as transfers:
        response = requests.post(
            f"{transfers.url}/transfers",
            json={"fromAccountId": 1, "toAccountId": 2, "amount": 1},
            headers=AUTH,
        )

    assert response.status_code == 502
    assert response.json()["error"] == "accounts_unavailable"
