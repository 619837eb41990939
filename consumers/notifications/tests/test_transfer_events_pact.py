"""Contract: notifications consumes the transfer-completed event of transfers (a message pact)."""

import pytest
from pact import match

from accord.consumer.contract import ConsumerPact
from consumers.notifications.handler import Notification, handle_transfer_completed

pytestmark = pytest.mark.pact(consumer="notifications", provider="transfers")


def test_turns_a_transfer_completed_event_into_a_notification(pact: ConsumerPact) -> None:
    (
        pact.upon_receiving("a transfer-completed event", "Async")
        .with_body(
            {
                "event": "transfer-completed",
                "transferId": match.regex("t-3f2a9c1b7d4e", regex=r"^t-[0-9a-f]+$"),
                "fromAccountId": match.integer(1),
                "toAccountId": match.integer(2),
                "amount": match.integer(1250),
                "currency": match.regex("EUR", regex=r"^[A-Z]{3}$"),
                "completedAt": match.datetime(
                    "2026-01-02T03:04:05Z",
                    format="yyyy-MM-dd'T'HH:mm:ssXXX",
                    disable_conversion=True,
                ),
            },
            content_type="application/json",
        )
        .with_metadata({"topic": "transfers"})
    )
    notifications: list[Notification] = []

    pact.verify(
        lambda body, metadata: notifications.append(handle_transfer_completed(body, metadata)),
        "Async",
    )

    assert [n.account_id for n in notifications] == [1]
    assert notifications[0].text.startswith("Transfer t-3f2a9c1b7d4e of 12.50 EUR")
