"""The broker the official clients talk to, four ways: in this process on a fresh SQLite file
or PostgreSQL database, and as a real ``accord broker serve --workers 2`` on each.

The in-process brokers (test ids ``sqlite``, ``postgres``) start per test on an empty database.
Starting two spawned workers takes seconds (each imports the whole broker), so each database
kind gets one multi-process broker per test session (``sqlite-2-workers``,
``postgres-2-workers``) and its tables are emptied before every test: the broker keeps
nothing about the data in memory, so an emptied database is a fresh broker to the clients.
With two workers, consecutive requests of one CLI run land on different processes, so a flow
only passes if what one worker wrote is what the other reads.

The multi-process brokers allow webhooks to ``http://127.0.0.1`` (a receiver in the test), and
so do the in-process ones, so a webhook flow runs on all four.
"""

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from accord.testing import free_port
from tests.broker.conftest import RunningBroker, start_broker

WORKERS = 2
STARTED = "Application startup complete"
START_TIMEOUT_SECONDS = 180.0
"""Spawned workers import the whole broker; on a loaded 2-core machine that took 18 s."""
WEBHOOK_ENVIRONMENT = {
    "ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "ACCORD_BROKER_WEBHOOK_ALLOWED_SCHEMES": "http",
    "ACCORD_BROKER_WEBHOOK_RETRY_SCHEDULE": "0.2,0.4",
    "ACCORD_BROKER_WEBHOOK_POLL_INTERVAL_SECONDS": "0.1",
}
WEBHOOK_SETTINGS: dict[str, Any] = {
    "webhook_allowed_hosts": ["127.0.0.1"],
    "webhook_allowed_schemes": ["http"],
    "webhook_retry_schedule": [0.2, 0.4],
    "webhook_poll_interval_seconds": 0.1,
}
ACCORD = Path(sys.executable).parent / "accord"
KEPT_TABLES = {"alembic_version"}


@dataclass
class MultiWorkerBroker:
    """``accord broker serve --workers 2`` on one database, for the whole session."""

    database_url: str
    log_path: Path
    process: subprocess.Popen[bytes]
    url: str
    _log: IO[bytes] = field(repr=False)

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise AssertionError(
                f"the --workers {WORKERS} broker exited ({self.process.returncode}):\n"
                + self.log_tail()
            )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def start_multi_worker_broker(database_url: str, log_path: Path) -> MultiWorkerBroker:
    """Start the real CLI's multi-process broker; return once every worker has started."""
    port = free_port()
    sink = log_path.open("wb")
    process = subprocess.Popen(
        [str(ACCORD), "broker", "serve", "--port", str(port), "--workers", str(WORKERS)],
        env={**os.environ, **WEBHOOK_ENVIRONMENT, "ACCORD_BROKER_DATABASE_URL": database_url},
        stdout=sink,
        stderr=subprocess.STDOUT,
    )
    broker = MultiWorkerBroker(database_url, log_path, process, f"http://127.0.0.1:{port}", sink)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    # The parent binds the port before the workers exist: an open port proves nothing.
    while log_path.read_text(errors="replace").count(STARTED) < WORKERS:
        if process.poll() is not None or time.monotonic() > deadline:
            broker.stop()
            raise AssertionError(
                f"the --workers {WORKERS} broker did not start:\n" + broker.log_tail()
            )
        time.sleep(0.05)
    return broker


def empty_database(database_url: str) -> None:
    """Delete every row the broker stored (the schema stays), as if the broker were new."""
    if database_url.startswith("sqlite"):
        _empty_sqlite(database_url.removeprefix("sqlite:///"))
    else:
        _empty_postgres(database_url)


def _empty_sqlite(path: str) -> None:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if name not in KEPT_TABLES
        ]
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("BEGIN IMMEDIATE")
        for table in tables:
            connection.execute(f'DELETE FROM "{table}"')
        if connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
        ).fetchone():
            connection.execute("DELETE FROM sqlite_sequence")
        connection.execute("COMMIT")
    finally:
        connection.close()


def _empty_postgres(database_url: str) -> None:
    import psycopg

    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    for attempt in range(5):
        with psycopg.connect(dsn, autocommit=True) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
                if name not in KEPT_TABLES
            ]
            listed = ", ".join(f'"{table}"' for table in tables)
            try:
                connection.execute("SET lock_timeout = '10s'")
                connection.execute(f"TRUNCATE {listed} RESTART IDENTITY CASCADE")
                return
            except psycopg.errors.DeadlockDetected:  # with the webhook poller: go again
                if attempt == 4:
                    raise


@pytest.fixture(scope="session")
def sqlite_multi_worker_broker(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[MultiWorkerBroker]:
    """The session's ``--workers 2`` broker on a SQLite file (started when first asked for)."""
    directory = tmp_path_factory.mktemp("sqlite-workers")
    served = start_multi_worker_broker(f"sqlite:///{directory}/broker.sqlite", directory / "log")
    yield served
    served.stop()


@pytest.fixture(scope="session")
def postgres_multi_worker_broker(
    postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MultiWorkerBroker]:
    """The session's ``--workers 2`` broker on a PostgreSQL database of its own."""
    from tests.conftest import _drop_postgres_database, _fresh_postgres_database

    url, name = _fresh_postgres_database(postgres_admin_url)
    served = start_multi_worker_broker(url, tmp_path_factory.mktemp("postgres-workers") / "log")
    yield served
    served.stop()
    _drop_postgres_database(postgres_admin_url, name)


BROKER_KINDS = [("sqlite", 1), ("postgres", 1), ("sqlite", WORKERS), ("postgres", WORKERS)]
BROKER_IDS = ["sqlite", "postgres", f"sqlite-{WORKERS}-workers", f"postgres-{WORKERS}-workers"]


def broker_kinds(*ids: str) -> pytest.MarkDecorator:
    """Run a module's or test's ``broker`` on these kinds only (by test id)."""
    chosen = [BROKER_KINDS[BROKER_IDS.index(name)] for name in ids]
    return pytest.mark.parametrize("broker", chosen, ids=list(ids), indirect=True)


@pytest.fixture(params=BROKER_KINDS, ids=BROKER_IDS)
def broker(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBroker]:
    """An empty broker: in this process, or ``accord broker serve --workers 2``."""
    kind, workers = request.param
    if workers == 1:
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'broker.sqlite'}"
        else:
            url = request.getfixturevalue("postgres_database_url")
        with start_broker(url, **WEBHOOK_SETTINGS) as running:
            yield running
        return
    served: MultiWorkerBroker = request.getfixturevalue(f"{kind}_multi_worker_broker")
    served.check_alive()
    empty_database(served.database_url)
    yield RunningBroker(url=served.url, database_url=served.database_url)
    served.check_alive()
