"""Engines and sessions: SQLite in WAL mode with foreign keys, or PostgreSQL.

Writes go through :func:`write_session`. On SQLite its transaction starts with
``BEGIN IMMEDIATE``, taking the write lock up front: a deferred transaction that reads first and
writes later can fail with "database is locked" when another writer committed in between, which
no busy timeout can cure. Reads use plain deferred transactions and never block writers (WAL).
"""

import importlib
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from accord_broker.db.faults import StallWatchdog
from accord_broker.errors import ReadOnlySessionError

SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_STATEMENT_TIMEOUT_MS = 15_000
"""A runaway query fails (and is logged) instead of holding a connection for minutes; the Pact
Broker's default too."""
IDLE_PING_AFTER_SECONDS = 5.0
"""A pooled PostgreSQL connection idle for longer is pinged before use."""
_IDLE_SINCE = "accord_idle_since"
_READ_OPTION = "accord_read"
_READ_VERBS = (
    "SELECT",
    "WITH",
    "SHOW",
    "EXPLAIN",
    "VALUES",
    "PRAGMA",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
)
"""What a read session may run (the last four: SQLite's settings and transactions)."""
_WRITE_OPTION = "accord_write"
_T = TypeVar("_T")
log = logging.getLogger("accord_broker.db")


@dataclass(frozen=True, slots=True)
class ConnectionBounds:
    """How long the broker waits on PostgreSQL before answering 503 instead of hanging.

    The server's statement timeout bounds a slow query, but not a database that is
    unreachable or stalled; these bound the client side (``Settings`` documents each).
    """

    connect_timeout_seconds: int = 5
    pool_timeout_seconds: float = 5.0
    keepalives_idle_seconds: int = 15
    keepalives_interval_seconds: int = 5
    keepalives_count: int = 3
    stall_grace_seconds: float = 5.0


def make_engine(
    database_url: str,
    *,
    statement_timeout_ms: int = POSTGRES_STATEMENT_TIMEOUT_MS,
    pool_size: int = 10,
    prepared_statements: bool = True,
    bounds: ConnectionBounds | None = None,
    sqlite_synchronous: str = "FULL",
) -> Engine:
    """An engine for ``database_url`` (``sqlite:///…`` or ``postgresql+psycopg://…``).

    PostgreSQL sessions run with a statement timeout and without JIT compilation: the broker's
    statements are index seeks that run in well under a millisecond, and JIT compiling one
    whose estimated cost passes ``jit_above_cost`` took ~40 ms (``benchmarks/broker_scale.py``).

    psycopg prepares a statement on its fifth execution on a connection (one-off statements
    never are), and prepared statements use their generic plan: planned once, with the
    parameters as placeholders. The hot statements are written as index seeks whose plan does
    not depend on the values; left to choose, PostgreSQL re-planned the for-verification
    statement (8 to 16 ms of planning at full size) on every execution. ``prepared_statements=
    False`` turns preparing off, for a pooler that cannot carry them (PgBouncer before 1.21 in
    transaction mode).

    ``bounds`` keep a database that is down or stalled from hanging requests: a connect
    timeout, TCP keepalives, a pool checkout timeout, and a watchdog that cuts a connection
    whose statement had no answer ``stall_grace_seconds`` after the statement timeout should
    have cancelled it (see :mod:`accord_broker.db.faults`).
    """
    bounds = bounds if bounds is not None else ConnectionBounds()
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            poolclass=NullPool if url.database in (None, "", ":memory:") else None,
        )
        _configure_sqlite(engine, synchronous=sqlite_synchronous)
        return engine
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=2 * pool_size,
        pool_use_lifo=True,  # the most recently used connection has its statements prepared
        pool_timeout=bounds.pool_timeout_seconds,
        connect_args={
            "options": f"-c statement_timeout={statement_timeout_ms} -c jit=off"
            " -c plan_cache_mode=force_generic_plan",
            "prepare_threshold": 5 if prepared_statements else None,
            "connect_timeout": bounds.connect_timeout_seconds,
            "keepalives": 1,
            "keepalives_idle": bounds.keepalives_idle_seconds,
            "keepalives_interval": bounds.keepalives_interval_seconds,
            "keepalives_count": bounds.keepalives_count,
        },
    )
    if prepared_statements:
        _keep_prepared(engine)
    watchdog = StallWatchdog(statement_timeout_ms / 1000 + bounds.stall_grace_seconds)
    _ping_idle_connections(engine, watchdog)
    _watch_for_stalls(engine, watchdog)
    _remember_long_statements()
    return engine


PREPARED_PER_CONNECTION = 1000
"""Statements each pooled PostgreSQL connection keeps prepared (psycopg keeps 100).

The broker sends a few hundred distinct statements (every read route's, each shape of the
matrix's); with psycopg's 100, a mix of questions evicted each statement before its fifth
execution prepared it again, so nearly every statement was planned from scratch: 2 to 16 ms
for the matrix and for-verification statements at full size, twice the cost of running them
(``benchmarks/broker_scale``: the matrix pair page 22 ms over HTTP in the catalogue's mix,
14 ms asked alone). A generic plan takes a few tens of kilobytes of the server's memory."""


def _keep_prepared(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.prepared_max = PREPARED_PER_CONNECTION


def _watch_for_stalls(engine: Engine, watchdog: StallWatchdog) -> None:
    """Arm the watchdog while the driver waits on the server (a statement, a commit or
    rollback, the pool's reset), disarm it when the answer came or the connection went back."""

    @event.listens_for(engine, "before_cursor_execute")
    def _arm(_conn: Any, cursor: Any, *_: Any) -> None:
        watchdog.arm(cursor.connection)

    @event.listens_for(engine, "after_cursor_execute")
    def _disarm(_conn: Any, cursor: Any, *_: Any) -> None:
        watchdog.disarm(cursor.connection)

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        cursor = getattr(context, "cursor", None)  # absent when the error came before one
        if cursor is not None:
            watchdog.disarm(cursor.connection)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _arm_ending(conn: Any) -> None:
        # no event follows a commit: the watchdog drops the entry once the connection is idle
        if not (conn.invalidated or conn.closed):  # a lost connection has nothing to wait on
            watchdog.arm(conn.connection.dbapi_connection)

    @event.listens_for(engine, "reset")
    def _arm_reset(dbapi_connection: Any, *_: Any) -> None:
        watchdog.arm(dbapi_connection)

    @event.listens_for(engine, "checkin")
    def _disarm_returned(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            watchdog.disarm(dbapi_connection)


LONG_STATEMENT_CHARS = 65_536


def _remember_long_statements() -> None:
    """Let psycopg remember how it rewrote statements of up to 64 KB, not only up to 4 KB.

    Before sending a statement psycopg rewrites its ``%(name)s`` placeholders as ``$n``, and
    remembers the rewrite only for statements up to 4 KB. The for-verification statement is
    10 KB, so it was rewritten (a regular-expression pass) on every request: 5 % of the
    request. The limit is a module setting, not a public one; if a psycopg release renames
    it, this sets an unused name and ``test_database_sessions`` says so.
    """
    queries: Any = importlib.import_module("psycopg._queries")
    if getattr(queries, "MAX_CACHED_STATEMENT_LENGTH", 0) < LONG_STATEMENT_CHARS:
        queries.MAX_CACHED_STATEMENT_LENGTH = LONG_STATEMENT_CHARS


def _ping_idle_connections(engine: Engine, watchdog: StallWatchdog) -> None:
    """Before handing out a pooled connection that sat idle for a while, check it is alive.

    A connection that has been idle is the one a database restart or a firewall most likely
    killed; a fresh one replaces it and the request never sees the error. Pinging busy
    connections too (``pool_pre_ping``) costs a round trip on every request, about a tenth of
    a can-i-deploy; a connection that dies while busy fails that one request, and SQLAlchemy
    then discards every pooled connection of the dead server.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_AFTER_SECONDS:
            return
        watchdog.arm(dbapi_connection)  # a stalled server must not hang the ping either
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # whatever the driver raises for a dead socket
            raise DisconnectionError(f"pooled connection is dead: {exc}") from exc
        finally:
            watchdog.disarm(dbapi_connection)
        if not alive:
            raise DisconnectionError("pooled connection did not answer a ping")


SQLITE_SYNCHRONOUS_MODES = ("FULL", "NORMAL")


def _configure_sqlite(engine: Engine, *, synchronous: str) -> None:
    """WAL, foreign keys, the busy timeout and ``synchronous`` on every connection.

    ``FULL`` (the default) syncs the WAL on every commit, so an acknowledged write survives a
    power loss; ``NORMAL`` syncs only at checkpoints (a crash of the process loses nothing,
    a power loss can lose the last commits) for more publications per second.
    """
    if synchronous.upper() not in SQLITE_SYNCHRONOUS_MODES:
        raise ValueError(f"SQLite synchronous must be one of {SQLITE_SYNCHRONOUS_MODES}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_WRITE_OPTION, False):
            # through SQLAlchemy: a busy database raises its OperationalError, which
            # Database.write retries
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            # A deferred BEGIN takes no lock and cannot fail; sent straight to the driver it
            # costs 5 us instead of SQLAlchemy's ~100 us statement machinery, on every read.
            connection.connection.driver_connection.execute("BEGIN")


def _refuse_writes(
    connection: Any, _cursor: Any, statement: str, _parameters: Any, *_: Any
) -> None:
    if not connection.get_execution_options().get(_READ_OPTION):
        return
    if not statement.lstrip().upper().startswith(_READ_VERBS):
        raise ReadOnlySessionError(
            "a read session may not write; run this work with Database.write: "
            + " ".join(statement.split())[:120]
        )


class Database:
    """One engine and its session factories; created once per app."""

    def __init__(
        self,
        database_url: str,
        *,
        statement_timeout_ms: int = POSTGRES_STATEMENT_TIMEOUT_MS,
        pool_size: int = 10,
        prepared_statements: bool = True,
        bounds: ConnectionBounds | None = None,
        sqlite_synchronous: str = "FULL",
    ) -> None:
        self.url = database_url
        self.engine = make_engine(
            database_url,
            statement_timeout_ms=statement_timeout_ms,
            pool_size=pool_size,
            prepared_statements=prepared_statements,
            bounds=bounds,
            sqlite_synchronous=sqlite_synchronous,
        )
        reads = self.engine.execution_options(**{_READ_OPTION: True})
        if self.engine.dialect.name == "postgresql":
            # No BEGIN and COMMIT round trips: at READ COMMITTED every statement takes its own
            # snapshot anyway, in a transaction or not. _refuse_writes keeps reads reads.
            reads = reads.execution_options(isolation_level="AUTOCOMMIT")
        event.listen(self.engine, "before_cursor_execute", _refuse_writes)
        self._reads = sessionmaker(reads, expire_on_commit=False)
        self._writes = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading.

        On PostgreSQL it runs in autocommit mode: no BEGIN and COMMIT round trips (at READ
        COMMITTED every statement takes its own snapshot anyway), and no rollback, on which
        psycopg forgets the connection's prepared statements, so each statement stays planned
        once per connection. A statement that writes is refused (``ReadOnlySessionError``)
        before it reaches the database.
        """
        with self._reads() as session:
            yield session

    def write(self, work: Callable[[Session], _T], *, attempts: int = 8) -> _T:
        """Run ``work`` in one write transaction, retried when it lost a race.

        A unique-constraint violation or a serialisation failure means another writer got there
        first; the whole unit of work is run again on fresh data, so a retry sees their row.
        Errors that are not races propagate at once.
        """
        for attempt in range(1, attempts + 1):
            with self._writes() as session:
                try:
                    result = work(session)
                    session.commit()
                    return result
                except (IntegrityError, OperationalError) as exc:
                    session.rollback()
                    if attempt == attempts or not _is_race(exc):
                        raise
                    log.info(
                        "write transaction lost a race and runs again (attempt %d of %d): %s",
                        attempt + 1,
                        attempts,
                        _race_kind(exc),
                    )
            time.sleep(random.uniform(0, 0.005 * 2**attempt))  # let the winner finish first
        raise AssertionError("unreachable")  # pragma: no cover

    def dispose(self) -> None:
        self.engine.dispose()


def _race_kind(exc: DBAPIError) -> str:
    """What kind of race ``exc`` is, for the log (never the statement or its values)."""
    if isinstance(exc, IntegrityError):
        return "unique constraint"
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return {"40001": "serialization failure", "40P01": "deadlock"}.get(
        sqlstate or "", "database is locked"
    )


def _is_race(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in {"40001", "40P01"}:  # serialization failure, deadlock detected
        return True
    return "database is locked" in str(exc.orig)
