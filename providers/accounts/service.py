"""The business rules of accounts: who may see an account, and that no balance goes below zero.

Plain functions over a SQLAlchemy ``Session`` (no web framework here), so the rules are tested
on a real database without HTTP and the provider states reuse them to set up data.
"""

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from providers.accounts.db import Account, Customer, Movement, Token


class AccountsError(Exception):
    """A request the rules refuse; ``code`` is the machine-readable error name."""

    code = "accounts_error"


class InvalidCredentialsError(AccountsError):
    code = "invalid_credentials"


class NotAuthenticatedError(AccountsError):
    code = "not_authenticated"


class AccountNotFoundError(AccountsError):
    code = "account_not_found"


class InsufficientFundsError(AccountsError):
    code = "insufficient_funds"

    def __init__(self, account_id: int, balance: int, requested: int) -> None:
        self.account_id = account_id
        self.balance = balance
        self.requested = requested
        super().__init__(f"account {account_id} has {balance} but {requested} was requested")


def hash_password(password: str, *, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 10_000).hex()
    return f"{salt}${digest}"


def password_matches(password: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(hash_password(password, salt=salt), stored)


def create_customer(session: Session, username: str, password: str) -> Customer:
    customer = Customer(username=username, password_hash=hash_password(password))
    session.add(customer)
    session.flush()
    return customer


def find_customer(session: Session, username: str) -> Customer | None:
    return session.scalar(select(Customer).where(Customer.username == username))


def issue_token(session: Session, customer: Customer, token: str | None = None) -> str:
    """A bearer token for the customer (``token`` lets provider states choose it)."""
    value = token or secrets.token_urlsafe(24)
    if session.get(Token, value) is None:
        session.add(Token(token=value, customer_id=customer.id))
        session.flush()
    return value


def login(session: Session, username: str, password: str) -> tuple[Customer, str]:
    customer = find_customer(session, username)
    if customer is None or not password_matches(password, customer.password_hash):
        raise InvalidCredentialsError("unknown username or wrong password")
    return customer, issue_token(session, customer)


def customer_for_token(session: Session, token: str | None) -> Customer:
    found = session.get(Token, token) if token else None
    customer = session.get(Customer, found.customer_id) if found else None
    if customer is None:
        raise NotAuthenticatedError("a valid bearer token is required")
    return customer


def open_account(
    session: Session,
    customer: Customer,
    *,
    balance: int = 0,
    currency: str = "EUR",
    account_id: int | None = None,
) -> Account:
    account = Account(id=account_id, customer_id=customer.id, balance=balance, currency=currency)
    session.add(account)
    session.flush()
    return account


def accounts_of(session: Session, customer: Customer) -> list[Account]:
    query = select(Account).where(Account.customer_id == customer.id).order_by(Account.id)
    return list(session.scalars(query))


def get_account(session: Session, customer: Customer, account_id: int) -> Account:
    """The customer's own account; another customer's account is "not found", not "forbidden"."""
    account = session.get(Account, account_id)
    if account is None or account.customer_id != customer.id:
        raise AccountNotFoundError(f"account {account_id} not found")
    return account


def post_movement(
    session: Session, customer: Customer, account_id: int, amount: int, reference: str
) -> Account:
    """Add ``amount`` (negative: a debit) to an account.

    Anyone may pay into an account; only its owner may take money out, and never more than the
    balance.
    """
    account = (
        get_account(session, customer, account_id)
        if amount < 0
        else session.get(Account, account_id)
    )
    if account is None:
        raise AccountNotFoundError(f"account {account_id} not found")
    if account.balance + amount < 0:
        raise InsufficientFundsError(account_id, account.balance, -amount)
    account.balance += amount
    session.add(Movement(account_id=account_id, amount=amount, reference=reference))
    session.flush()
    return account
