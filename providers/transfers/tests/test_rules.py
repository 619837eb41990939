"""The transfer rules on a real SQLite file, with balances in the in-memory accounts gateway."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from providers.transfers import service
from providers.transfers.accounts_client import InMemoryAccounts
from providers.transfers.db import OutboxEvent, Transfer, open_database


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    sessions = open_database(f"sqlite:///{tmp_path / 'transfers.sqlite'}")
    with sessions() as session, session.begin():
        yield session


@pytest.fixture
def accounts() -> InMemoryAccounts:
    gateway = InMemoryAccounts()
    gateway.set_balance(1, 10_000)
    gateway.set_balance(2, 0)
    return gateway


def transfer(
    session: Session, accounts: InMemoryAccounts, source: int, target: int, amount: int
) -> Transfer:
    return service.make_transfer(
        session, accounts, "tok", from_account_id=source, to_account_id=target, amount=amount
    )


def test_a_transfer_moves_the_money_and_records_a_completed_event(
    session: Session, accounts: InMemoryAccounts
) -> None:
    done = transfer(session, accounts, 1, 2, 1250)

    assert accounts.balances == {1: 8750, 2: 1250}
    assert done.status == "completed"
    (event,) = session.scalars(select(OutboxEvent))
    assert event.message["contents"]["transferId"] == done.id
    assert event.message["contents"]["amount"] == 1250
    assert event.message["metadata"]["topic"] == "transfers"


def test_a_transfer_larger_than_the_balance_is_refused_and_moves_nothing(
    session: Session, accounts: InMemoryAccounts
) -> None:
    with pytest.raises(service.InsufficientFundsError) as refused:
        transfer(session, accounts, 1, 2, 10_001)

    assert (refused.value.balance, refused.value.requested) == (10_000, 10_001)
    assert accounts.balances == {1: 10_000, 2: 0}
    assert list(session.scalars(select(OutboxEvent))) == []


@pytest.mark.parametrize(("source", "target", "amount"), [(1, 2, 0), (1, 2, -5), (1, 1, 100)])
def test_a_transfer_needs_a_positive_amount_and_two_accounts(
    session: Session, accounts: InMemoryAccounts, source: int, target: int, amount: int
) -> None:
    with pytest.raises(service.InvalidTransferError):
        transfer(session, accounts, source, target, amount)
