"""The unit of work: how a request (or a CLI command) hands storage to the domain.

The web adapters (``api/``, ``ui/``) never touch the database themselves: each request gets
one :class:`UnitOfWork` (from ``app.state``, through the ``unit_of_work`` dependency) and
passes it, or the session it opens, to domain functions. Reads run in a read-only session;
writes run as one transaction that ``Database.write`` retries when another writer won a race,
so a write function must be safe to run again. A statement cancelled by the database's
statement timeout surfaces as :class:`~accord_broker.errors.StatementTimeoutError`, which the
HTTP layer answers with 503, without the adapters knowing which database library is underneath.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from accord_broker.db.engine import Database
from accord_broker.errors import StatementTimeoutError

__all__ = ["Session", "UnitOfWork"]

_T = TypeVar("_T")
QUERY_CANCELED = "57014"
"""PostgreSQL's SQLSTATE for a statement cancelled by ``statement_timeout``."""


class UnitOfWork:
    """One broker's storage as the domain sees it: read sessions and retried write transactions."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (no transaction on PostgreSQL; writes are refused)."""
        with _timeouts_named(), self.database.read_session() as session:
            yield session

    def write(self, work: Callable[[Session], _T]) -> _T:
        """Run ``work`` as one transaction (again, from the start, when a concurrent writer won)."""
        with _timeouts_named():
            return self.database.write(work)


@contextmanager
def _timeouts_named() -> Iterator[None]:
    """Turn the database driver's "statement cancelled" into the broker's own error."""
    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == QUERY_CANCELED:
            raise StatementTimeoutError() from exc
        raise
