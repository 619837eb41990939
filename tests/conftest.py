"""Fixtures shared by the whole suite: real databases, real servers."""

import os
import uuid
from collections.abc import Iterator

import pytest

from accord.testing import PostgresServer, start_postgres

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL server's ``postgres`` database.

    ``ACCORD_TEST_POSTGRES_URL`` (set by ``.ci/run``) wins; otherwise a throw-away server is
    started from the machine's binaries. In CI a missing PostgreSQL fails the run: the broker's
    PostgreSQL tests must run there, never skip.
    """
    given = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    server: PostgresServer | None = None
    try:
        server = start_postgres()
    except (RuntimeError, OSError) as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"no PostgreSQL available: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


def _fresh_postgres_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    dsn = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def _drop_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    dsn = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database, once on a SQLite file and once on PostgreSQL: broker tests run on both."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "broker.sqlite"
        yield f"sqlite:///{path}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    url, name = _fresh_postgres_database(admin_url)
    try:
        yield url
    finally:
        _drop_postgres_database(admin_url, name)


@pytest.fixture
def postgres_database_url(postgres_admin_url: str) -> Iterator[str]:
    """An empty PostgreSQL database, for what only PostgreSQL has (timeouts, prepared plans)."""
    url, name = _fresh_postgres_database(postgres_admin_url)
    try:
        yield url
    finally:
        _drop_postgres_database(postgres_admin_url, name)
