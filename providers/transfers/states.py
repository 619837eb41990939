"""Provider states of transfers and its message producers, ready for a verifier.

Transfers depends on accounts; during its own verification it runs with
:class:`~providers.transfers.accounts_client.InMemoryAccounts` (``create_app(url,
InMemoryAccounts())``) and these states seed balances there, and transfer rows through
SQLAlchemy.

``MESSAGES`` maps the message descriptions of the consumers' pacts to zero-argument producers:
each returns what the service would put in its outbox (``contents`` + ``metadata``).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import sessionmaker

from providers.transfers.accounts_client import InMemoryAccounts
from providers.transfers.db import Base, Transfer
from providers.transfers.events import transfer_completed_event


@dataclass
class TransfersContext:
    """What states act on: the database and the in-memory accounts gateway."""

    sessions: sessionmaker  # type: ignore[type-arg]
    accounts: InMemoryAccounts


def an_account_with_a_balance(
    context: TransfersContext,
    *,
    accountId: int,  # noqa: N803 - the pact's param names
    balance: int,
    token: str = "",
    **_: Any,
) -> None:
    context.accounts.set_balance(int(accountId), int(balance))


def a_completed_transfer(
    context: TransfersContext,
    *,
    transferId: str,  # noqa: N803
    fromAccountId: int = 1,  # noqa: N803
    toAccountId: int = 2,  # noqa: N803
    amount: int = 1250,
) -> None:
    with context.sessions() as session, session.begin():
        session.add(
            Transfer(
                id=transferId,
                from_account_id=fromAccountId,
                to_account_id=toAccountId,
                amount=amount,
                currency="EUR",
                status="completed",
            )
        )


STATES: dict[str, Callable[..., None]] = {
    "an account with a balance": an_account_with_a_balance,
    "a completed transfer": a_completed_transfer,
}


def set_up_state(context: TransfersContext, name: str, params: Mapping[str, Any] | None) -> None:
    if not name:  # an interaction without a provider state: nothing to set up
        return
    handler = STATES.get(name)
    if handler is None:
        known = ", ".join(sorted(STATES))
        raise LookupError(f"transfers has no provider state {name!r}; known states: {known}")
    handler(context, **dict(params or {}))


def reset(context: TransfersContext) -> None:
    context.accounts.balances.clear()
    with context.sessions() as session, session.begin():
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())


def sample_transfer_completed() -> dict[str, Any]:
    """The event for a typical completed transfer, as the service emits it."""
    transfer = Transfer(
        id="t-3f2a9c1b7d4e",
        from_account_id=1,
        to_account_id=2,
        amount=1250,
        currency="EUR",
        status="completed",
        completed_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    return transfer_completed_event(transfer)


MESSAGES: dict[str, Callable[[], dict[str, Any]]] = {
    "a transfer-completed event": sample_transfer_completed,
}
