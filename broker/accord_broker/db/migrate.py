"""Bring a database to the newest schema with Alembic, programmatically.

The migration scripts ship inside the package (``accord_broker/db/migrations``), so
``accord broker migrate`` and the broker's start-up work from an installed wheel, with no
``alembic.ini`` on disk.
"""

import fcntl
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

log = logging.getLogger("accord_broker.migrations")

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration pointing at the packaged scripts and ``database_url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def migrate(database_url: str) -> None:
    """Upgrade the database at ``database_url`` to the newest schema (a no-op when current).

    Brokers starting together (several hosts, a rolling deploy) migrate one after the other:
    the upgrade runs under a lock (an advisory lock on PostgreSQL, a file lock beside a SQLite
    database), and whoever comes second finds the schema current.
    """
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with migration_lock(database_url):
        command.upgrade(alembic_config(database_url), "head")
    log.info(
        "database schema is current",
        extra={
            "event": "migrations",
            "database": make_url(database_url).render_as_string(hide_password=True),
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )


MIGRATION_LOCK_KEY = 0x0ACC0D0A


@contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    """Hold the broker's migration lock on ``database_url`` for the block (waiting for it)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database in (None, "", ":memory:") or database.startswith("file:"):
            yield
            return
        with open(f"{database}.migrate.lock", "ab") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                connection.commit()
    finally:
        engine.dispose()
