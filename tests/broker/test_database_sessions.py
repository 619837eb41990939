"""How the broker uses its PostgreSQL connections: planned once, reads without a transaction
that cannot write, no JIT, a
statement timeout that answers 503, and idle connections checked before use.

These are the properties the scale benchmark's figures rest on (``docs/benchmarks.md``), so
each is pinned here on a real server.
"""

import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from accord_broker.db import engine as engine_module
from accord_broker.db.engine import Database
from accord_broker.db.migrate import migrate
from accord_broker.errors import BrokerNotFoundError, ReadOnlySessionError
from sqlalchemy import text

from tests.broker.conftest import start_broker

INSERT_ENVIRONMENT = (
    "INSERT INTO environments (uuid, name, production, created_at, updated_at) "
    "VALUES ('u-1', 'prod', true, now(), now())"
)
SAME_QUERY = text("SELECT count(*) FROM pacticipants WHERE name = :name")


@pytest.fixture
def postgres_url(postgres_database_url: str) -> str:
    return postgres_database_url


@pytest.fixture
def database(postgres_url: str) -> Iterator[Database]:
    migrate(postgres_url)
    db = Database(postgres_url)
    yield db
    db.dispose()


def _prepared_statements(db: Database) -> list[str]:
    with db.read_session() as session:
        rows = session.execute(text("SELECT statement FROM pg_prepared_statements")).all()
    return [row[0] for row in rows]


def _backend_pid(db: Database) -> int:
    with db.read_session() as session:
        pid = session.scalar(text("SELECT pg_backend_pid()"))
    assert isinstance(pid, int)
    return pid


def test_a_statement_read_again_and_again_is_prepared_once_per_connection(
    database: Database,
) -> None:
    for _ in range(8):
        with database.read_session() as session:
            session.execute(SAME_QUERY, {"name": "Web"}).all()

    prepared = _prepared_statements(database)

    assert any("FROM pacticipants WHERE name" in statement for statement in prepared), prepared


def test_a_mix_of_more_statements_than_psycopg_keeps_stays_prepared(database: Database) -> None:
    """The broker sends a few hundred distinct statements; psycopg keeps 100 prepared, so a
    mix of questions evicted each statement before it was prepared again (planned from
    scratch every time, the matrix's 2 to 16 ms)."""
    distinct = 150
    for _ in range(8):  # psycopg prepares a statement once it has run five times
        with database.read_session() as session:
            for n in range(distinct):
                query = text(f"SELECT {n} + count(*) FROM pacticipants WHERE name = :name")
                session.execute(query, {"name": "Web"}).all()
    mix = sum(" + count(*) FROM pacticipants" in s for s in _prepared_statements(database))

    assert mix == distinct


def test_prepared_statements_can_be_turned_off_for_poolers_that_cannot_carry_them(
    postgres_url: str,
) -> None:
    migrate(postgres_url)
    db = Database(postgres_url, prepared_statements=False)
    try:
        for _ in range(8):
            with db.read_session() as session:
                session.execute(SAME_QUERY, {"name": "Web"}).all()
        prepared = _prepared_statements(db)
    finally:
        db.dispose()

    assert prepared == []


def test_prepared_statements_are_planned_once_with_their_generic_plan(
    database: Database,
) -> None:
    for _ in range(8):
        with database.read_session() as session:
            session.execute(SAME_QUERY, {"name": "Web"}).all()

    with database.read_session() as session:
        mode = session.scalar(text("SHOW plan_cache_mode"))
        plans = session.execute(
            text(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE '%FROM pacticipants WHERE name%'"
            )
        ).one()

    assert mode == "force_generic_plan"
    assert plans.custom_plans == 0
    assert plans.generic_plans >= 1


def test_a_not_found_answer_keeps_the_connections_prepared_statements(
    database: Database,
) -> None:
    for _ in range(8):
        with database.read_session() as session:
            session.execute(SAME_QUERY, {"name": "Web"}).all()

    with pytest.raises(BrokerNotFoundError), database.read_session() as session:
        session.execute(SAME_QUERY, {"name": "Nobody"}).all()
        raise BrokerNotFoundError("No pacticipant with name 'Nobody'")

    assert any("FROM pacticipants WHERE name" in s for s in _prepared_statements(database))


def test_a_long_statement_is_rewritten_for_the_driver_once(database: Database) -> None:
    """psycopg remembers its placeholder rewrite only for statements under a size limit
    (4 KB by default; the for-verification statement is 10 KB). Both names used here are
    psycopg internals the engine relies on: if a release renames them, this fails."""
    from psycopg import _queries

    padding = " OR ".join(f"name = 'padding-{n:04d}'" for n in range(200))
    long_query = text(f"SELECT count(*) FROM pacticipants WHERE name = :name OR {padding}")
    assert len(str(long_query)) > 4096
    with database.read_session() as session:
        session.execute(long_query, {"name": "Web"}).all()
    before = _queries._query2pg.cache_info().hits

    with database.read_session() as session:
        session.execute(long_query, {"name": "Web"}).all()

    assert _queries.MAX_CACHED_STATEMENT_LENGTH >= engine_module.LONG_STATEMENT_CHARS
    assert _queries._query2pg.cache_info().hits == before + 1


def test_a_read_session_runs_its_statements_outside_a_transaction(database: Database) -> None:
    """No BEGIN and COMMIT round trips: after a statement the connection is still idle."""
    with database.read_session() as session:
        session.execute(SAME_QUERY, {"name": "Web"}).all()
        connection = session.connection().connection.dbapi_connection
        assert connection is not None
        status = connection.info.transaction_status

    assert status == psycopg.pq.TransactionStatus.IDLE


def test_a_read_session_cannot_write(database: Database) -> None:
    refused = pytest.raises(
        ReadOnlySessionError, match=r"Database\.write: INSERT INTO environments"
    )
    with refused, database.read_session() as session:
        session.execute(text(INSERT_ENVIRONMENT))

    with database.read_session() as session:
        assert session.scalar(text("SELECT count(*) FROM environments")) == 0


def test_write_sessions_still_write(database: Database) -> None:
    database.write(lambda session: session.execute(text(INSERT_ENVIRONMENT)))

    with database.read_session() as session:
        assert session.scalar(text("SELECT count(*) FROM environments")) == 1


def test_sessions_run_without_jit_and_with_the_statement_timeout(postgres_url: str) -> None:
    db = Database(postgres_url, statement_timeout_ms=1234)
    try:
        with db.read_session() as session:
            jit = session.scalar(text("SHOW jit"))
            timeout = session.scalar(text("SHOW statement_timeout"))
    finally:
        db.dispose()

    assert jit == "off"
    assert timeout == "1234ms"


def test_an_idle_connection_killed_by_the_server_is_replaced_before_use(
    database: Database, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "IDLE_PING_AFTER_SECONDS", 0.0)
    doomed = _backend_pid(database)
    _terminate(postgres_url, doomed)

    replacement = _backend_pid(database)

    assert replacement != doomed


def _terminate(database_url: str, pid: int) -> None:
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_request_stuck_past_the_statement_timeout_is_answered_503_and_the_broker_recovers(
    postgres_url: str,
) -> None:
    with start_broker(postgres_url, database_statement_timeout_ms=300) as broker:
        assert broker.post("/pacticipants", {"name": "Web"}).status_code == 201
        release = threading.Event()
        locked = threading.Event()
        holder = threading.Thread(target=_hold_table_lock, args=(postgres_url, locked, release))
        holder.start()
        try:
            assert locked.wait(10)
            stuck = broker.get("/pacticipants/Web")
        finally:
            release.set()
            holder.join(10)
        after = broker.get("/pacticipants/Web")

    assert stuck.status_code == 503
    body: dict[str, Any] = stuck.json()
    assert "statement timeout" in body["error"]
    assert "/pacticipants/Web" in body["error"]
    assert "ACCORD_BROKER_DATABASE_STATEMENT_TIMEOUT_MS" in body["error"]
    assert after.status_code == 200
    assert after.json()["name"] == "Web"


def _hold_table_lock(database_url: str, locked: threading.Event, release: threading.Event) -> None:
    """Another session holding an exclusive lock: any read of the table waits on it."""
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        conn.execute("LOCK TABLE pacticipants IN ACCESS EXCLUSIVE MODE")
        locked.set()
        release.wait(30)
        conn.rollback()
