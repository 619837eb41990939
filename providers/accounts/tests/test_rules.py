"""The accounts rules on a real SQLite file: login, ownership, no balance below zero."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from providers.accounts import service
from providers.accounts.db import open_database


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    sessions = open_database(f"sqlite:///{tmp_path / 'accounts.sqlite'}")
    with sessions() as session, session.begin():
        yield session


def test_login_with_the_right_password_issues_a_token_for_the_customer(session: Session) -> None:
    alice = service.create_customer(session, "alice", "s3cret")

    customer, token = service.login(session, "alice", "s3cret")

    assert customer.id == alice.id
    assert service.customer_for_token(session, token).id == alice.id


def test_login_with_a_wrong_password_is_refused(session: Session) -> None:
    service.create_customer(session, "alice", "s3cret")

    with pytest.raises(service.InvalidCredentialsError):
        service.login(session, "alice", "guess")


def test_an_unknown_token_is_not_authenticated(session: Session) -> None:
    with pytest.raises(service.NotAuthenticatedError):
        service.customer_for_token(session, "nope")


def test_a_customer_cannot_see_another_customers_account(session: Session) -> None:
    alice = service.create_customer(session, "alice", "a")
    bob = service.create_customer(session, "bob", "b")
    account = service.open_account(session, bob, balance=500)

    with pytest.raises(service.AccountNotFoundError):
        service.get_account(session, alice, account.id)


def test_a_debit_larger_than_the_balance_is_refused_and_changes_nothing(session: Session) -> None:
    alice = service.create_customer(session, "alice", "a")
    account = service.open_account(session, alice, balance=500)

    with pytest.raises(service.InsufficientFundsError) as refused:
        service.post_movement(session, alice, account.id, -501, "t-1")

    assert (refused.value.balance, refused.value.requested) == (500, 501)
    assert account.balance == 500


def test_a_debit_up_to_the_balance_leaves_zero(session: Session) -> None:
    alice = service.create_customer(session, "alice", "a")
    account = service.open_account(session, alice, balance=500)

    assert service.post_movement(session, alice, account.id, -500, "t-1").balance == 0


def test_anyone_may_pay_into_an_account_but_only_the_owner_may_take_money_out(
    session: Session,
) -> None:
    alice = service.create_customer(session, "alice", "a")
    bob = service.create_customer(session, "bob", "b")
    bobs = service.open_account(session, bob, balance=0)

    assert service.post_movement(session, alice, bobs.id, 250, "gift").balance == 250
    with pytest.raises(service.AccountNotFoundError):
        service.post_movement(session, alice, bobs.id, -1, "theft")
