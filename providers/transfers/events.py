"""The ``transfer-completed`` event: a pure producer function.

The service appends its result to the outbox when a transfer completes; a provider verifier
calls the same function in-process to check the notifications → transfers message pact.
"""

from datetime import UTC, datetime
from typing import Any, Protocol

TRANSFER_COMPLETED = "transfer-completed"
TOPIC = "transfers"


class CompletedTransfer(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def from_account_id(self) -> int: ...
    @property
    def to_account_id(self) -> int: ...
    @property
    def amount(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def completed_at(self) -> datetime: ...


def transfer_completed_event(transfer: CompletedTransfer) -> dict[str, Any]:
    """The message (``contents`` + ``metadata``) announcing a completed transfer."""
    completed_at = transfer.completed_at
    if completed_at.tzinfo is None:
        completed_at = completed_at.replace(tzinfo=UTC)
    return {
        "contents": {
            "event": TRANSFER_COMPLETED,
            "transferId": transfer.id,
            "fromAccountId": transfer.from_account_id,
            "toAccountId": transfer.to_account_id,
            "amount": transfer.amount,
            "currency": transfer.currency,
            "completedAt": completed_at.astimezone(UTC)
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
        },
        "metadata": {"contentType": "application/json", "topic": TOPIC},
    }
