"""Every error as a JSON body the official clients print: ``{"error": …, "errors": …}``.

Expected problems are 4xx: the clients retry 5xx, 408 and 429 for about a minute (trap 11),
so those are reserved for real faults.
"""

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from accord_broker.errors import (
    BrokerRequestError,
    DatabaseRefusedValueError,
    DatabaseUnavailableError,
    StatementTimeoutError,
)

log = logging.getLogger("accord_broker")
JSON = "application/json;charset=utf-8"


def error_response(
    status: int, message: str, errors: Any = None, notices: list[dict[str, str]] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"error": message, "errors": errors if errors else [message]}
    if notices:
        body["notices"] = notices
    return JSONResponse(body, status_code=status, media_type=JSON)


async def _broker_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BrokerRequestError)
    notices = [{"type": "error", "text": exc.message}] if exc.status == 409 else None
    return error_response(exc.status, exc.message, exc.errors, notices)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"No resource at {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    response = error_response(exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors: dict[str, list[str]] = {}
    for problem in exc.errors():
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        errors.setdefault(where or "request", []).append(str(problem.get("msg")))
    return error_response(400, "invalid request", errors)


async def _refused_value(request: Request, exc: Exception) -> JSONResponse:
    """A value the database refused: the client's to change, so a 400 naming the request and
    the refusal (in the driver's words, without SQL or parameters). Logged too: the broker's
    own validation should have caught the value first."""
    assert isinstance(exc, DatabaseRefusedValueError)
    log.warning(
        "database refused a value on %s %s: %s", request.method, request.url.path, exc.detail
    )
    message = (
        f"{request.method} {request.url.path} was refused: the database cannot hold one of its "
        f"values ({exc.detail}). Change that value and try again."
    )
    return error_response(400, message, {"request": [message]})


async def _statement_timeout(request: Request, exc: Exception) -> JSONResponse:
    """A statement cancelled by the statement timeout is a 503 that says so (any other database
    error is unexpected: a 500)."""
    assert isinstance(exc, StatementTimeoutError)
    log.warning("statement timeout on %s %s", request.method, request.url.path)
    message = (
        f"The database did not answer {request.method} {request.url.path} within the "
        "statement timeout, so the query was cancelled. Try again; if it keeps happening, "
        "tell the broker's operator (the limit is ACCORD_BROKER_DATABASE_STATEMENT_TIMEOUT_MS)."
    )
    return error_response(503, message)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database is down, dropped the connection or stalled: a 503 with the reason (the
    clients retry 5xx), never a 500; the broker reconnects by itself when it answers again."""
    assert isinstance(exc, DatabaseUnavailableError)
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc.reason)
    message = (
        f"The broker could not reach its database for {request.method} {request.url.path}: "
        f"{exc.reason}. Try again shortly; if it lasts, tell the broker's operator (check the "
        "database at ACCORD_BROKER_DATABASE_URL)."
    )
    response = error_response(503, message)
    response.headers["Retry-After"] = "5"
    return response


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Errors raised in a middleware (the token lookup) reach only this catch-all handler.
    if isinstance(exc, DatabaseUnavailableError):
        return await _database_unavailable(request, exc)
    if isinstance(exc, StatementTimeoutError):
        return await _statement_timeout(request, exc)
    if isinstance(exc, DatabaseRefusedValueError):
        return await _refused_value(request, exc)
    reference = uuid.uuid4().hex[:12]
    log.exception("unexpected error (reference %s)", reference, exc_info=exc)
    message = f"An error has occurred. The details have been logged with the reference {reference}"
    return error_response(500, message, {"message": message, "reference": reference})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(BrokerRequestError, _broker_error)
    app.add_exception_handler(DatabaseRefusedValueError, _refused_value)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StatementTimeoutError, _statement_timeout)
    app.add_exception_handler(DatabaseUnavailableError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
