"""Contract: the web client as a consumer of transfers (a transfer, and insufficient funds)."""

import pytest
from pact import match

from accord.consumer.contract import ConsumerPact
from consumers.web.client import BankClient, InsufficientFundsError

pytestmark = pytest.mark.pact(consumer="web", provider="transfers")

TOKEN = "tok-alice"
AUTHORIZATION = match.regex(f"Bearer {TOKEN}", regex=r"^Bearer [A-Za-z0-9_-]+$")


def logged_in(url: str) -> BankClient:
    client = BankClient("http://accounts.invalid", url)
    client.token = TOKEN
    return client


def test_makes_a_transfer(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a transfer of 1250 from account 1 to account 2")
        .given("an account with a balance", accountId=1, balance=10_000, token=TOKEN)
        .given("an account with a balance", accountId=2, balance=0, token=TOKEN)
        .with_request("POST", "/transfers")
        .with_header("Authorization", AUTHORIZATION)
        .with_body(
            {"fromAccountId": 1, "toAccountId": 2, "amount": match.integer(1250)},
            content_type="application/json",
        )
        .will_respond_with(201)
        .with_body(
            {
                "id": match.regex("t-3f2a9c1b7d4e", regex=r"^t-[0-9a-f]+$"),
                "status": "completed",
                "amount": match.integer(1250),
            },
            content_type="application/json",
        )
    )

    with pact.serve() as server:
        transfer = logged_in(str(server.url)).transfer(1, 2, 1250)

    assert (transfer.status, transfer.amount) == ("completed", 1250)


def test_a_transfer_without_enough_money_is_refused(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a transfer larger than the balance of account 1")
        .given("an account with a balance", accountId=1, balance=500, token=TOKEN)
        .given("an account with a balance", accountId=2, balance=0, token=TOKEN)
        .with_request("POST", "/transfers")
        .with_header("Authorization", AUTHORIZATION)
        .with_body(
            {"fromAccountId": 1, "toAccountId": 2, "amount": match.integer(1250)},
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

    with pact.serve() as server, pytest.raises(InsufficientFundsError) as refused:
        logged_in(str(server.url)).transfer(1, 2, 1250)

    assert (refused.value.balance, refused.value.requested) == (500, 1250)
