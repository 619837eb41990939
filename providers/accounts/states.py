"""Provider states of accounts, ready for a verifier: each inserts rows through SQLAlchemy.

``STATES`` maps the state names used in the consumers' pacts to functions taking a session and
the state's params. ``set_up_state(sessions, name, params)`` runs one in its own transaction; a
verifier calls it before each interaction (on a fresh database, or after ``reset``).
"""

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from providers.accounts import service
from providers.accounts.db import Base, Customer

StateHandler = Callable[..., None]


def _customer(session: Session, username: str, password: str = "s3cret") -> Customer:
    return service.find_customer(session, username) or service.create_customer(
        session, username, password
    )


def a_customer_with_credentials(session: Session, *, username: str, password: str) -> None:
    _customer(session, username, password)


def an_account_with_a_balance(
    session: Session,
    *,
    accountId: int,  # noqa: N803 - the pact's param names
    balance: int,
    token: str,
    username: str = "alice",
    currency: str = "EUR",
) -> None:
    customer = _customer(session, username)
    service.issue_token(session, customer, token)
    service.open_account(
        session, customer, balance=balance, currency=currency, account_id=int(accountId)
    )


def a_customer_with_accounts(
    session: Session,
    *,
    token: str,
    accountIds: list[int],  # noqa: N803
    username: str = "alice",
) -> None:
    customer = _customer(session, username)
    service.issue_token(session, customer, token)
    for account_id in accountIds:
        service.open_account(session, customer, balance=10_000, account_id=int(account_id))


def an_account_owned_by_someone_else(
    session: Session,
    *,
    accountId: int,  # noqa: N803
    username: str = "bob",
) -> None:
    service.open_account(session, _customer(session, username), account_id=int(accountId))


STATES: dict[str, StateHandler] = {
    "a customer with credentials": a_customer_with_credentials,
    "an account with a balance": an_account_with_a_balance,
    "a customer with accounts": a_customer_with_accounts,
    "an account owned by someone else": an_account_owned_by_someone_else,
}


def set_up_state(
    sessions: sessionmaker,  # type: ignore[type-arg]
    name: str,
    params: Mapping[str, Any] | None = None,
) -> None:
    """Run the handler for state ``name``; an unknown state names the known ones."""
    if not name:  # an interaction without a provider state: nothing to set up
        return
    handler = STATES.get(name)
    if handler is None:
        known = ", ".join(sorted(STATES))
        raise LookupError(f"accounts has no provider state {name!r}; known states: {known}")
    with sessions() as session, session.begin():
        handler(session, **dict(params or {}))


def reset(sessions: sessionmaker) -> None:  # type: ignore[type-arg]
    """Empty every table (between interactions)."""
    with sessions() as session, session.begin():
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())
