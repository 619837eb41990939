"""The accounts HTTP API: ``create_app(database_url)`` wires the rules to FastAPI.

``ACCORD_DEMO_BREAKING=1`` (or ``breaking=True``) renames ``balance`` to ``amount`` in the
responses: the breaking provider change the demo uses to show a failing verification and
can-i-deploy saying no.
"""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from providers.accounts import service
from providers.accounts.db import Account, Customer, open_database

BREAKING_ENV = "ACCORD_DEMO_BREAKING"
STATUS_FOR_ERROR = {
    service.InvalidCredentialsError: 401,
    service.NotAuthenticatedError: 401,
    service.AccountNotFoundError: 404,
    service.InsufficientFundsError: 422,
}


class LoginRequest(BaseModel):
    username: str
    password: str


class MovementRequest(BaseModel):
    amount: int
    reference: str


def breaking_from_env() -> bool:
    return os.environ.get(BREAKING_ENV, "") not in ("", "0", "false")


def db(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent.

    ``scope="function"`` matters: by default FastAPI ends a ``yield`` dependency after the
    response has gone out, so a client could use a token its login returned before the
    token's row was committed.
    """
    with request.app.state.sessions() as session, session.begin():
        yield session


Db = Annotated[Session, Depends(db, scope="function")]


def current_customer(
    session: Db, authorization: Annotated[str | None, Header()] = None
) -> Customer:
    token = authorization.removeprefix("Bearer ").strip() if authorization else None
    return service.customer_for_token(session, token)


CurrentCustomer = Annotated[Customer, Depends(current_customer)]


def create_app(database_url: str, *, breaking: bool | None = None) -> FastAPI:
    """The accounts service on ``database_url`` (tables are created if missing)."""
    is_breaking = breaking_from_env() if breaking is None else breaking
    balance_field = "amount" if is_breaking else "balance"
    app = FastAPI(title="accounts")
    app.state.sessions = open_database(database_url)

    @app.exception_handler(service.AccountsError)
    def refuse(request: Request, error: service.AccountsError) -> JSONResponse:
        body: dict[str, Any] = {"error": error.code, "message": str(error)}
        if isinstance(error, service.InsufficientFundsError):
            body |= {balance_field: error.balance, "requested": error.requested}
        return JSONResponse(body, status_code=STATUS_FOR_ERROR.get(type(error), 400))

    def account_json(account: Account) -> dict[str, Any]:
        return {
            "id": account.id,
            "currency": account.currency,
            balance_field: account.balance,
            "openedAt": _iso(account.opened_at),
        }

    @app.post("/login")
    def login(credentials: LoginRequest, session: Db) -> dict[str, Any]:
        customer, token = service.login(session, credentials.username, credentials.password)
        return {"token": token, "customerId": customer.id}

    @app.get("/accounts")
    def list_accounts(session: Db, customer: CurrentCustomer) -> dict[str, Any]:
        return {"accounts": [account_json(a) for a in service.accounts_of(session, customer)]}

    @app.get("/accounts/{account_id}")
    def get_account(account_id: int, session: Db, customer: CurrentCustomer) -> dict[str, Any]:
        return account_json(service.get_account(session, customer, account_id))

    @app.get("/accounts/{account_id}/balance")
    def get_balance(account_id: int, session: Db, customer: CurrentCustomer) -> dict[str, Any]:
        account = service.get_account(session, customer, account_id)
        return {
            "accountId": account.id,
            balance_field: account.balance,
            "currency": account.currency,
            "asOf": _iso(datetime.now(UTC)),
        }

    @app.post("/accounts/{account_id}/movements", status_code=201)
    def post_movement(
        account_id: int, movement: MovementRequest, session: Db, customer: CurrentCustomer
    ) -> dict[str, Any]:
        account = service.post_movement(
            session, customer, account_id, movement.amount, movement.reference
        )
        return {
            "accountId": account.id,
            balance_field: account.balance,
            "currency": account.currency,
        }

    return app


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite gives naive datetimes back; they were stored as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
