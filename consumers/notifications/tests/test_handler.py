"""The notification text for a transfer-completed event, and events it refuses."""

import json

import pytest

from consumers.notifications.handler import (
    Notification,
    UnexpectedEventError,
    handle_transfer_completed,
)
from providers.transfers.states import sample_transfer_completed

EVENT = {
    "event": "transfer-completed",
    "transferId": "t-1",
    "fromAccountId": 1,
    "toAccountId": 2,
    "amount": 1250,
    "currency": "EUR",
    "completedAt": "2026-01-02T03:04:05Z",
}


def test_a_completed_transfer_notifies_the_sender() -> None:
    notification = handle_transfer_completed(json.dumps(EVENT), {"topic": "transfers"})

    assert notification == Notification(
        account_id=1,
        text="Transfer t-1 of 12.50 EUR to account 2 completed on 2026-01-02 at 03:04 UTC.",
    )


def test_the_event_the_transfers_service_emits_is_understood() -> None:
    message = sample_transfer_completed()

    notification = handle_transfer_completed(json.dumps(message["contents"]), message["metadata"])

    assert notification.account_id == 1


@pytest.mark.parametrize(
    ("body", "metadata"),
    [
        (json.dumps({**EVENT, "event": "transfer-failed"}), {}),
        (json.dumps({k: v for k, v in EVENT.items() if k != "amount"}), {}),
        (json.dumps(EVENT), {"topic": "payments"}),
        (None, {}),
    ],
)
def test_other_messages_are_refused(body: str | None, metadata: dict[str, object]) -> None:
    with pytest.raises(UnexpectedEventError):
        handle_transfer_completed(body, metadata)
