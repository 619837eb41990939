"""The ``transfer-completed`` event handler.

``handle_transfer_completed(body, metadata)`` has the signature of a message consumer (body as
bytes or text, metadata as a dict), so the same function runs on the queue and in the message
pact test.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


class UnexpectedEventError(ValueError):
    """The message is not a transfer-completed event this handler understands."""


@dataclass(frozen=True, slots=True)
class Notification:
    account_id: int
    text: str


def notification_for(event: Mapping[str, Any]) -> Notification:
    """The sender's notification for a completed transfer."""
    try:
        cents = int(event["amount"])
        completed = datetime.fromisoformat(str(event["completedAt"]))
        text = (
            f"Transfer {event['transferId']} of {cents // 100}.{cents % 100:02d}"
            f" {event['currency']} to account {int(event['toAccountId'])} completed"
            f" on {completed:%Y-%m-%d at %H:%M} UTC."
        )
        return Notification(account_id=int(event["fromAccountId"]), text=text)
    except (KeyError, TypeError, ValueError) as error:
        raise UnexpectedEventError(f"not a transfer-completed event: {error!r}") from error


def handle_transfer_completed(
    body: str | bytes | None, metadata: Mapping[str, object]
) -> Notification:
    if metadata.get("topic") not in (None, "transfers"):
        raise UnexpectedEventError(f"unexpected topic {metadata.get('topic')!r}")
    if body is None:
        raise UnexpectedEventError("the message has no body")
    event = json.loads(body)
    if event.get("event") != "transfer-completed":
        raise UnexpectedEventError(f"unexpected event {event.get('event')!r}")
    return notification_for(event)
