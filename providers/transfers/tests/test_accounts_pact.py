"""Contract: transfers is a consumer of accounts (balance, debit, and the overdraft refusal)."""

import pytest
from pact import match

from accord.consumer.contract import ConsumerPact
from providers.transfers.accounts_client import Balance, HttpAccounts, OverdraftError

pytestmark = pytest.mark.pact(consumer="transfers", provider="accounts")

TOKEN = "tok-alice"
AUTHORIZATION = match.regex(f"Bearer {TOKEN}", regex=r"^Bearer [A-Za-z0-9_-]+$")
ISO_DATETIME = "yyyy-MM-dd'T'HH:mm:ssXXX"


def test_reads_the_balance_of_the_source_account(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a request for the balance of account 1")
        .given("an account with a balance", accountId=1, balance=10_000, token=TOKEN)
        .with_request("GET", "/accounts/1/balance")
        .with_header("Authorization", AUTHORIZATION)
        .will_respond_with(200)
        .with_body(
            {
                "accountId": match.integer(1),
                "balance": match.integer(10_000),
                "currency": match.regex("EUR", regex=r"^[A-Z]{3}$"),
                "asOf": match.datetime(
                    "2026-01-02T03:04:05Z", format=ISO_DATETIME, disable_conversion=True
                ),
            },
            content_type="application/json",
        )
    )

    with pact.serve() as server:
        balance = HttpAccounts(str(server.url)).balance(1, TOKEN)

    assert balance == Balance(account_id=1, balance=10_000, currency="EUR")


def test_debits_the_source_account(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a debit of 1250 from account 1")
        .given("an account with a balance", accountId=1, balance=10_000, token=TOKEN)
        .with_request("POST", "/accounts/1/movements")
        .with_header("Authorization", AUTHORIZATION)
        .with_body(
            {"amount": match.integer(-1250), "reference": match.regex("t-1", regex=r"^t-\w+$")},
            content_type="application/json",
        )
        .will_respond_with(201)
        .with_body(
            {"accountId": match.integer(1), "balance": match.integer(8750), "currency": "EUR"},
            content_type="application/json",
        )
    )

    with pact.serve() as server:
        new_balance = HttpAccounts(str(server.url)).post_movement(1, -1250, "t-1", TOKEN)

    assert new_balance == 8750


def test_a_debit_larger_than_the_balance_is_refused(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a debit larger than the balance of account 1")
        .given("an account with a balance", accountId=1, balance=500, token=TOKEN)
        .with_request("POST", "/accounts/1/movements")
        .with_header("Authorization", AUTHORIZATION)
        .with_body(
            {"amount": match.integer(-1250), "reference": match.regex("t-1", regex=r"^t-\w+$")},
            content_type="application/json",
        )
        .will_respond_with(422)
        .with_body(
            {
                "error": "insufficient_funds",
                "balance": match.integer(500),
                "requested": match.integer(1250),
            },
            content_type="application/json",
        )
    )

    with pact.serve() as server, pytest.raises(OverdraftError) as refused:
        HttpAccounts(str(server.url)).post_movement(1, -1250, "t-1", TOKEN)

    assert (refused.value.balance, refused.value.requested) == (500, 1250)
