"""One leader among the broker's processes on one database: the one that runs the webhook
worker and, when configured, the separate metrics port.

On PostgreSQL the leader holds a session advisory lock on a connection of its own (another
host's broker on the same database competes for the same lock); on SQLite it holds an
``flock`` on a file beside the database. Either is released by the operating system or the
server when the process dies, so a surviving process takes over at its next attempt. The lock
only spares work: the delivery queue's claims keep each delivery with one worker regardless.
"""

import contextlib
import fcntl
import logging
import os
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from accord_broker.db.engine import make_engine

log = logging.getLogger("accord_broker.leader")

ADVISORY_LOCK_KEY = 0x0ACC0D0B
"""The advisory lock's key: fixed, so every broker process on the database competes for it."""


class LeaderLock:
    """Non-blocking leadership: :meth:`acquire` answers at once whether this process leads."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._file: IO[bytes] | None = None
        self._connection: Any = None
        self._engine: Any = None

    @property
    def held(self) -> bool:
        return self._file is not None or self._connection is not None

    def acquire(self) -> bool:
        """Lead from now on if no other process does; ``True`` while this one leads."""
        if self.held:
            return True
        try:
            won = self._try_lock()
        except Exception as exc:  # the database is down: nobody can deliver anyway
            log.warning("leader lock: cannot ask the database (%s)", type(exc).__name__)
            return False
        if won:
            log.info("this process leads: it runs the webhook worker", extra={"pid": os.getpid()})
        return won

    def _try_lock(self) -> bool:
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite":
            return self._try_file_lock(url.database)
        return self._try_advisory_lock()

    def _try_file_lock(self, database: str | None) -> bool:
        if database in (None, "", ":memory:") or database.startswith("file:"):
            self._file = open(os.devnull, "rb")  # noqa: SIM115 - held until release()
            return True  # a private database: this process is alone with it
        handle = open(f"{database}.leader.lock", "ab")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def _try_advisory_lock(self) -> bool:
        if self._engine is None:
            self._engine = make_engine(self.database_url, pool_size=1)
        connection = self._engine.connect()
        won = bool(
            connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            ).scalar()
        )
        connection.commit()
        if won:
            self._connection = connection
        else:
            connection.close()
        return won

    def release(self) -> None:
        """Stop leading (at shutdown); another process takes over at its next attempt."""
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()  # closing the session releases its advisory lock
            self._connection = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
