"""The accounts HTTP API on a real uvicorn server and a real SQLite file."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from sqlalchemy import event
from sqlalchemy.orm import Session

from accord.testing import ServerHandle, serve_app
from providers.accounts.app import create_app
from providers.accounts.states import set_up_state


@contextmanager
def start(tmp_path: Path, *, breaking: bool = False) -> Iterator[ServerHandle]:
    app = create_app(f"sqlite:///{tmp_path / 'accounts.sqlite'}", breaking=breaking)
    set_up_state(
        app.state.sessions, "a customer with credentials", {"username": "alice", "password": "pw"}
    )
    set_up_state(
        app.state.sessions,
        "an account with a balance",
        {"accountId": 7, "balance": 1250, "token": "tok-alice", "username": "alice"},
    )
    with serve_app(app) as server:
        yield server


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[ServerHandle]:
    with start(tmp_path) as server:
        yield server


AUTH = {"Authorization": "Bearer tok-alice"}


def test_login_returns_a_token_that_opens_the_customers_accounts(accounts: ServerHandle) -> None:
    login = requests.post(f"{accounts.url}/login", json={"username": "alice", "password": "pw"})
    token = login.json()["token"]

    listed = requests.get(f"{accounts.url}/accounts", headers={"Authorization": f"Bearer {token}"})

    assert login.status_code == 200
    assert [a["id"] for a in listed.json()["accounts"]] == [7]


def test_a_login_is_committed_before_its_answer_is_sent(tmp_path: Path) -> None:
    """A slow commit must delay the answer, not race the client's next request."""
    app = create_app(f"sqlite:///{tmp_path / 'accounts.sqlite'}")
    set_up_state(
        app.state.sessions, "a customer with credentials", {"username": "alice", "password": "pw"}
    )

    @event.listens_for(app.state.sessions, "before_commit")
    def slow_commit(session: Session) -> None:
        time.sleep(0.3)

    with serve_app(app) as server:
        token = requests.post(
            f"{server.url}/login", json={"username": "alice", "password": "pw"}
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        listed = requests.get(f"{server.url}/accounts", headers=auth)

    assert listed.status_code == 200, listed.text


def test_a_wrong_password_is_401(accounts: ServerHandle) -> None:
    response = requests.post(f"{accounts.url}/login", json={"username": "alice", "password": "x"})

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_credentials"


def test_balance_is_in_cents_with_currency_and_time(accounts: ServerHandle) -> None:
    body = requests.get(f"{accounts.url}/accounts/7/balance", headers=AUTH).json()

    assert body["accountId"] == 7
    assert body["balance"] == 1250
    assert body["currency"] == "EUR"
    assert body["asOf"].endswith("Z")


def test_balance_without_a_token_is_401(accounts: ServerHandle) -> None:
    assert requests.get(f"{accounts.url}/accounts/7/balance").status_code == 401


def test_an_overdraft_is_422_with_the_balance(accounts: ServerHandle) -> None:
    response = requests.post(
        f"{accounts.url}/accounts/7/movements",
        json={"amount": -5000, "reference": "t-1"},
        headers=AUTH,
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "insufficient_funds",
        "message": "account 7 has 1250 but 5000 was requested",
        "balance": 1250,
        "requested": 5000,
    }


def test_the_breaking_switch_renames_balance_to_amount(tmp_path: Path) -> None:
    with start(tmp_path, breaking=True) as server:
        body = requests.get(f"{server.url}/accounts/7/balance", headers=AUTH).json()

        assert "balance" not in body
        assert body["amount"] == 1250
