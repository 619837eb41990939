"""Contract: the web client as a consumer of accounts (login, account list, balance)."""

from datetime import UTC, datetime

import pytest
from pact import match

from accord.consumer.contract import ConsumerPact
from consumers.web.client import AccountSummary, BankClient, LoginFailedError

pytestmark = pytest.mark.pact(consumer="web", provider="accounts")

TOKEN = "tok-alice"
AUTHORIZATION = match.regex(f"Bearer {TOKEN}", regex=r"^Bearer [A-Za-z0-9_-]+$")
ISO_DATETIME = "yyyy-MM-dd'T'HH:mm:ssXXX"


def logged_in(url: str) -> BankClient:
    client = BankClient(url, "http://transfers.invalid")
    client.token = TOKEN
    return client


def test_login_gives_a_token(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a login with valid credentials")
        .given("a customer with credentials", username="alice", password="s3cret")
        .with_request("POST", "/login")
        .with_body({"username": "alice", "password": "s3cret"}, content_type="application/json")
        .will_respond_with(200)
        .with_body(
            {"token": match.like(TOKEN), "customerId": match.integer(1)},
            content_type="application/json",
        )
    )

    with pact.serve() as server:
        client = BankClient(str(server.url), "http://transfers.invalid")
        assert client.login("alice", "s3cret") == TOKEN


def test_login_with_a_wrong_password_is_refused(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a login with a wrong password")
        .given("a customer with credentials", username="alice", password="s3cret")
        .with_request("POST", "/login")
        .with_body({"username": "alice", "password": "guess"}, content_type="application/json")
        .will_respond_with(401)
        .with_body({"error": match.like("invalid_credentials")}, content_type="application/json")
    )

    with pact.serve() as server, pytest.raises(LoginFailedError):
        BankClient(str(server.url), "http://transfers.invalid").login("alice", "guess")


def test_lists_the_customers_accounts(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a request for the customer's accounts")
        .given("a customer with accounts", token=TOKEN, accountIds=[1, 2])
        .with_request("GET", "/accounts")
        .with_header("Authorization", AUTHORIZATION)
        .will_respond_with(200)
        .with_body(
            {
                "accounts": match.each_like(
                    {"id": match.integer(1), "currency": match.regex("EUR", regex=r"^[A-Z]{3}$")},
                    min=1,
                )
            },
            content_type="application/json",
        )
    )

    with pact.serve() as server:
        assert logged_in(str(server.url)).accounts() == [AccountSummary(1, "EUR")]


def test_shows_a_balance(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a request for the balance of account 1")
        .given("an account with a balance", accountId=1, balance=12_550, token=TOKEN)
        .with_request("GET", "/accounts/1/balance")
        .with_header("Authorization", AUTHORIZATION)
        .will_respond_with(200)
        .with_body(
            {
                "accountId": match.integer(1),
                "balance": match.integer(12_550),
                "currency": match.regex("EUR", regex=r"^[A-Z]{3}$"),
                "asOf": match.datetime(
                    "2026-01-02T03:04:05Z", format=ISO_DATETIME, disable_conversion=True
                ),
            },
            content_type="application/json",
        )
    )

    with pact.serve() as server:
        balance = logged_in(str(server.url)).balance(1)

    assert balance.display() == "125.50 EUR"
    assert balance.as_of == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
