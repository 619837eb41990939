"""The unit of work: how a request (or a CLI command) hands storage to the domain.

The web adapters (``api/``, ``ui/``) never touch the database themselves: each request gets
one :class:`UnitOfWork` (from ``app.state``, through the ``unit_of_work`` dependency) and
passes it, or the session it opens, to domain functions. Reads run in a read-only session;
writes run as one transaction that ``Database.write`` retries when another writer won a race,
so a write function must be safe to run again. A statement cancelled by the database's
statement timeout surfaces as :class:`~accord_broker.errors.StatementTimeoutError`, and a
database that is down, drops connections or stalls as
:class:`~accord_broker.errors.DatabaseUnavailableError`; the HTTP layer answers both with 503,
without the adapters knowing which database library is underneath. A value the database
refuses (out of range, too long, not encodable: input validation should have caught it) comes
out as :class:`~accord_broker.errors.DatabaseRefusedValueError`, a 400 naming
what was refused, never a 500.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session

from accord_broker.db.engine import Database
from accord_broker.db.faults import QUERY_CANCELED, unavailability
from accord_broker.domain.refused_values import refused_value
from accord_broker.errors import (
    DatabaseRefusedValueError,
    DatabaseUnavailableError,
    StatementTimeoutError,
)

__all__ = ["DatabaseRefusedValueError", "Session", "UnitOfWork", "database_errors_named"]

_T = TypeVar("_T")


class UnitOfWork:
    """One broker's storage as the domain sees it: read sessions and retried write transactions."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (no transaction on PostgreSQL; writes are refused)."""
        with database_errors_named(), self.database.read_session() as session:
            yield session

    def write(self, work: Callable[[Session], _T]) -> _T:
        """Run ``work`` as one transaction (again, from the start, when a concurrent writer won)."""
        with database_errors_named():
            return self.database.write(work)


@contextmanager
def database_errors_named() -> Iterator[None]:
    """Turn the driver's "statement cancelled" and "database unavailable" errors into the
    broker's own (503s), and a value the database refused into a 400, for callers outside a
    unit of work too (the auth middleware's token lookup); anything else (a race left after the
    retries, a statement the broker got wrong) propagates unchanged."""
    try:
        yield
    except Exception as exc:
        if getattr(getattr(exc, "orig", None), "sqlstate", None) == QUERY_CANCELED:
            raise StatementTimeoutError() from exc
        reason = unavailability(exc)
        if reason is not None:
            raise DatabaseUnavailableError(reason) from exc
        refused = refused_value(exc)
        if refused is not None:
            raise DatabaseRefusedValueError(refused) from exc
        raise
