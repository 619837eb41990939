"""The transfers HTTP API: ``create_app(database_url, accounts)`` wires the rules to FastAPI."""

from collections.abc import Iterator
from datetime import UTC
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from providers.transfers import service
from providers.transfers.accounts_client import (
    AccountsFailureError,
    AccountsGateway,
    UnknownAccountError,
)
from providers.transfers.db import Transfer, open_database

STATUS_FOR_ERROR: dict[type[Exception], int] = {
    service.InvalidTransferError: 422,
    service.InsufficientFundsError: 422,
    service.TransferNotFoundError: 404,
    UnknownAccountError: 404,
}


class TransferRequest(BaseModel):
    from_account_id: int = Field(alias="fromAccountId")
    to_account_id: int = Field(alias="toAccountId")
    amount: int


def db(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent.

    ``scope="function"`` matters: by default FastAPI ends a ``yield`` dependency after the
    response has gone out, so a client could use a token its login returned before the
    token's row was committed.
    """
    with request.app.state.sessions() as session, session.begin():
        yield session


Db = Annotated[Session, Depends(db, scope="function")]


def create_app(database_url: str, accounts: AccountsGateway) -> FastAPI:
    """The transfers service on ``database_url``, moving money through ``accounts``."""
    app = FastAPI(title="transfers")
    app.state.sessions = open_database(database_url)
    app.state.accounts = accounts

    @app.exception_handler(service.TransferRefusedError)
    @app.exception_handler(AccountsFailureError)
    def refuse(request: Request, error: Exception) -> JSONResponse:
        code = getattr(error, "code", "accounts_unavailable")
        body: dict[str, Any] = {"error": code, "message": str(error)}
        if isinstance(error, service.InsufficientFundsError):
            body |= {"balance": error.balance, "requested": error.requested}
        return JSONResponse(body, status_code=STATUS_FOR_ERROR.get(type(error), 502))

    @app.post("/transfers", status_code=201)
    def create_transfer(
        request: TransferRequest,
        session: Db,
        authorization: Annotated[str, Header()] = "",
    ) -> dict[str, Any]:
        token = authorization.removeprefix("Bearer ").strip()
        transfer = service.make_transfer(
            session,
            app.state.accounts,
            token,
            from_account_id=request.from_account_id,
            to_account_id=request.to_account_id,
            amount=request.amount,
        )
        return transfer_json(transfer)

    @app.get("/transfers/{transfer_id}")
    def get_transfer(transfer_id: str, session: Db) -> dict[str, Any]:
        return transfer_json(service.get_transfer(session, transfer_id))

    return app


def transfer_json(transfer: Transfer) -> dict[str, Any]:
    completed_at = transfer.completed_at
    if completed_at.tzinfo is None:
        completed_at = completed_at.replace(tzinfo=UTC)
    return {
        "id": transfer.id,
        "status": transfer.status,
        "fromAccountId": transfer.from_account_id,
        "toAccountId": transfer.to_account_id,
        "amount": transfer.amount,
        "currency": transfer.currency,
        "completedAt": completed_at.astimezone(UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
    }
