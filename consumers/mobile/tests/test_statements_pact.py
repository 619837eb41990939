"""Contract: the mobile app as a consumer of statements.

statements does not replay this pact: the broker compares it with the OpenAPI document
statements publishes (bi-directional contract testing), so the pact is written as usual.
"""

import pytest
from pact import match

from accord.consumer.contract import ConsumerPact
from consumers.mobile.client import StatementsClient

pytestmark = pytest.mark.pact(consumer="mobile", provider="statements")


def test_shows_an_accounts_statement(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a request for an account's statement")
        .given("an account with a statement", accountId=1)
        .with_request("GET", "/accounts/1/statement")
        .with_header("Accept", "application/json")
        .will_respond_with(200)
        .with_body(
            {
                "accountId": match.integer(1),
                "entries": match.each_like(
                    {
                        "date": match.date("2024-05-03", "yyyy-MM-dd"),
                        "amount": match.integer(-2500),
                        "description": match.like("groceries"),
                    }
                ),
            },
            content_type="application/json",
        )
    )

    with pact.serve() as server:
        lines = StatementsClient(str(server.url)).statement(1)

    assert [line.display() for line in lines] == ["2024-05-03  groceries  -25.00"]
