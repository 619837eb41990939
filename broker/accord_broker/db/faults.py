"""What a database fault looks like from the broker: which driver errors mean "unavailable",
and a watchdog that cuts connections stalled past their bound.

A database that is stopped, restarting, unreachable or out of connections is not a bug in the
broker: requests should get a 503 that says so (and clients retry), never a 500. A stalled
database (connections open, no bytes moving: a frozen server, a proxy or a network that holds
the connection) is worse: the server's statement timeout cannot fire and the kernel keeps
acknowledging TCP keepalives, so a request would wait for as long as the stall lasts, holding a
thread and a pooled connection. :class:`StallWatchdog` bounds that from the client side.
"""

import logging
import os
import socket
import threading
import time
import weakref
from typing import Any

from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

log = logging.getLogger("accord_broker.database")

QUERY_CANCELED = "57014"
"""PostgreSQL's SQLSTATE for a statement cancelled by ``statement_timeout``."""
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "40", "53", "57", "58")
"""Connection exceptions, transaction rollbacks left after the retries, insufficient resources
(too many connections), operator intervention (shutdown, crash recovery), system errors."""
_UNAVAILABLE_SQLITE_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_FULL")
"""SQLite: another writer held the lock past the busy timeout, or the disk failed or is full."""
LOST = "the connection to the database failed or was lost"
POOL_EXHAUSTED = "no database connection became free within the pool timeout"


def unavailability(exc: BaseException) -> str | None:
    """Why ``exc`` means the database is unavailable (for the 503), or ``None`` if it does not.

    The reason is generic on purpose: the driver's text names the database host and port,
    which clients need not see; it is logged instead.
    """
    if isinstance(exc, PoolTimeoutError):
        return POOL_EXHAUSTED
    if isinstance(exc, DisconnectionError):
        return LOST
    if not isinstance(exc, DBAPIError):
        return None
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return _logged(LOST, exc)
    if not isinstance(exc, OperationalError):
        return None
    errorname = getattr(exc.orig, "sqlite_errorname", None)
    if errorname is not None:
        unavailable = str(errorname).startswith(_UNAVAILABLE_SQLITE_ERRORS)
        return _logged("the database is locked or its disk failed", exc) if unavailable else None
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is None or str(sqlstate).startswith(_UNAVAILABLE_SQLSTATE_CLASSES):
        return _logged(LOST, exc)  # no SQLSTATE: the driver never reached the server
    return None


def _logged(reason: str, exc: DBAPIError) -> str:
    detail = str(exc.orig).strip().splitlines()[0][:300] if str(exc.orig).strip() else ""
    log.warning("database unavailable: %s (%s: %s)", reason, type(exc.orig).__name__, detail)
    return reason


class StallWatchdog:
    """Cuts a connection whose statement, commit or ping has had no answer within ``bound``.

    :meth:`arm` before the driver waits on the server, :meth:`disarm` once it answered. One
    daemon thread per process looks at the armed connections a few times a second and shuts
    the socket of any past its deadline down: the driver's wait ends at once with "server
    closed the connection", SQLAlchemy discards the connection, and the request gets a 503
    instead of hanging. Shutting a socket down does not close its descriptor, so the driver
    still owns it and no other connection can be hit by mistake.
    """

    TICK_SECONDS = 0.25

    def __init__(self, bound_seconds: float) -> None:
        self.bound_seconds = bound_seconds
        self._deadlines: dict[int, tuple[float, Any]] = {}
        _PATROL.watchdogs.add(self)

    def arm(self, dbapi_connection: Any) -> None:
        self._deadlines[id(dbapi_connection)] = (
            time.monotonic() + self.bound_seconds,
            dbapi_connection,
        )
        if not _PATROL.started:
            _PATROL.start()

    def disarm(self, dbapi_connection: Any) -> None:
        self._deadlines.pop(id(dbapi_connection), None)

    def cut_overdue(self, now: float) -> int:
        """Shut down the sockets of connections past their deadline; how many were cut."""
        cut = 0
        for key, (deadline, dbapi_connection) in list(self._deadlines.items()):
            if deadline > now:
                continue
            if self._deadlines.get(key, (None, None))[1] is not dbapi_connection:
                continue  # disarmed (and maybe re-armed) meanwhile
            self._deadlines.pop(key, None)
            if not _waiting_on_server(dbapi_connection):
                continue  # answered long ago (a commit has no "after" event): nothing to cut
            if _shut_down(dbapi_connection):
                cut += 1
                log.warning(
                    "a database connection had no answer for %.1fs and was cut (stalled "
                    "database or network); the request is answered 503",
                    self.bound_seconds,
                )
        return cut


class _Patrol:
    """This process's one thread that checks every watchdog a few times a second."""

    def __init__(self) -> None:
        self.watchdogs: weakref.WeakSet[StallWatchdog] = weakref.WeakSet()
        self.started = False
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if not self.started:
                threading.Thread(target=self._run, name="accord-db-watchdog", daemon=True).start()
                self.started = True

    def forget_thread(self) -> None:
        """In a forked child: the parent's thread is not there; the next arm starts one."""
        self.started = False

    def _run(self) -> None:
        while True:
            time.sleep(StallWatchdog.TICK_SECONDS)
            now = time.monotonic()
            for watchdog in list(self.watchdogs):
                try:
                    watchdog.cut_overdue(now)
                except Exception:  # the patrol must outlive any one connection's oddity
                    log.exception("database watchdog: could not check a connection")


_PATROL = _Patrol()
os.register_at_fork(after_in_child=_PATROL.forget_thread)


def _waiting_on_server(dbapi_connection: Any) -> bool:
    """Whether the connection has a command in progress (psycopg's ``ACTIVE`` status)."""
    try:
        status = dbapi_connection.info.transaction_status
    except Exception:  # closed, or not a psycopg connection
        return False
    return getattr(status, "name", None) == "ACTIVE"


def _shut_down(dbapi_connection: Any) -> bool:
    """Shut the connection's socket down (both directions) without closing its descriptor."""
    try:
        fd = int(dbapi_connection.pgconn.socket)
    except Exception:  # closed already, or not a psycopg connection
        return False
    try:
        with socket.socket(fileno=os.dup(fd)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        return False
    return True
