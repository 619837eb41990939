"""The pact badges cost the same, however long the pair's history (issue #20).

A badge of a tag, a branch, the untagged versions or a matrix tag pair once read every version
of its line, every content they published and every result of those contents, and sorted
them: 40 to 200 times the work at the benchmark's 3,000 consumer versions than at 300. Here a
pair grows from a short to a long history of the benchmark's shape (every provider version
verifies the newest pact, so the newest results are all the busy lines'; ``dev`` on every
other version, a feature branch on every fourth) and each badge's read is asked on both: its
statements must be equal on both databases; on SQLite its virtual machine's steps must not
grow (``sqlite_work.py``); on PostgreSQL, under the generic plans the broker's prepared
statements use, the rows it visits must not grow either.

``prod`` is a sparse line: released early, its contents are not among the pair's newest
results, so its badge reads each of its own versions (``line_walks.py``). The history grows
after the releases here, so that read must not grow: its cost follows the line, not the pair.
"""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from accord_broker.db import Database
from accord_broker.domain.integrations.integration_status import LineStatus, line_status
from psycopg import sql
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import publish, verify
from tests.broker.sqlite_work import url_steps
from tests.broker.statement_counts import select_statements

RELEASES = range(1, 6)
"""The first versions, ``prod`` on the 2nd and 4th, verified by ``prod`` provider versions."""
SHORT, LONG = range(6, 18), range(18, 78)
"""The history after the releases: the short one (12 versions, more than the newest results a
badge probes first), then 60 more."""
STEPS = 50
"""SQLite steps counted per callback."""


def _tag_provider(broker: RunningBroker, version: str, tag: str) -> None:
    response = broker.put(f"/pacticipants/Accounts/versions/{quote(version)}/tags/{tag}")
    assert response.status_code in (200, 201), response.text


def _grow(broker: RunningBroker, versions: range) -> None:
    """Web publishes ``versions`` (content changes every third; ``dev`` on even ones, ``prod``
    on the releases' even ones; every fourth on a feature branch); a new Accounts version
    (``dev``, and ``prod`` during the releases) verifies each, one result in seven failing."""
    for n in versions:
        released = n in RELEASES
        tags = (["dev"] if n % 2 == 0 else []) + (["prod"] if released and n % 2 == 0 else [])
        branch = "feat" if n % 4 == 3 else "main"
        publish(broker, "Web", f"{n}.0.0", "Accounts", f"call {n // 3}", branch=branch, tags=tags)
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}.0.0", success=n % 7 != 0)
        _tag_provider(broker, f"a{n}", "dev")
        if released:
            _tag_provider(broker, f"a{n}", "prod")


def _badge(**line: object) -> Callable[[Session], LineStatus]:
    def ask(session: Session) -> LineStatus:
        status = line_status(session, "Web", "Accounts", **line)  # type: ignore[arg-type]
        assert status.pact is not None and status.result is not None, line
        return status

    return ask


BADGES: dict[str, Callable[[Session], LineStatus]] = {
    "latest": _badge(),
    "latest untagged": _badge(untagged=True),
    "latest tag dev": _badge(tag="dev"),
    "latest tag prod": _badge(tag="prod"),
    "branch main": _badge(branch="main"),
    "branch feat": _badge(branch="feat"),
    "matrix dev/dev": _badge(tag="dev", provider_tag="dev"),
    "matrix prod/prod": _badge(tag="prod", provider_tag="prod"),
}
"""Every badge form's read (the matrix badge's tags: provider's/consumer's)."""

STATEMENTS = 3
"""The pacticipants, the line's newest pact, its newest result."""


def _grown(few: dict[str, int], many: dict[str, int], slack: int) -> dict[str, tuple[int, int]]:
    """The reads whose cost grew: 1.5 times and more, beyond ``slack`` (six times the history
    once cost six times the work, at least)."""
    return {name: (few[name], many[name]) for name in few if many[name] >= 1.5 * few[name] + slack}


def test_badge_reads_run_a_fixed_number_of_statements(database_url: str) -> None:
    with start_broker(database_url) as broker:
        _grow(broker, RELEASES)
        _grow(broker, SHORT)
        short = {name: select_statements(database_url, ask) for name, ask in BADGES.items()}
        _grow(broker, LONG)
        longer = {name: select_statements(database_url, ask) for name, ask in BADGES.items()}

    assert short == dict.fromkeys(BADGES, STATEMENTS)
    assert longer == short


@pytest.fixture
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('badges') / 'broker.sqlite'}"


def test_badge_work_does_not_grow_with_the_history(sqlite_url: str) -> None:
    def steps() -> dict[str, int]:
        return {name: url_steps(sqlite_url, ask, STEPS) for name, ask in BADGES.items()}

    with start_broker(sqlite_url) as broker:
        _grow(broker, RELEASES)
        _grow(broker, SHORT)
        few = steps()
        _grow(broker, LONG)
        many = steps()

    assert all(few.values()), few
    assert _grown(few, many, 4 * STEPS) == {}


VISITED = ("tags", "branch_versions", "latest_pact_publications", "latest_verifications")
AT_SIZE = ("SET enable_seqscan = off", "SET enable_bitmapscan = off")
"""A test database is a few pages, where reading a whole table, or a bitmap of every tag with
a name, is the cheapest plan; at size it is not: ask for the plan the indexes give."""
_PYFORMAT = re.compile(r"%\((\w+)\)s")


def _rows(node: dict[str, Any]) -> int:
    """Rows of the ``VISITED`` tables a plan node and its children read (every loop)."""
    own = 0
    if node.get("Relation Name") in VISITED:
        read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        own = int(read * node.get("Actual Loops", 1))
    return own + sum(_rows(child) for child in node.get("Plans", []))


def _numbered(statement: str) -> tuple[str, list[str]]:
    """The statement with ``$n`` parameters for PREPARE, and the names they stand for."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return _PYFORMAT.sub(number, statement).replace("%%", "%"), names


def _visited(url: str, ask: Callable[[Session], object]) -> int:
    """The rows the read's SELECTs visit, each prepared and run with its generic plan (as the
    broker's pooled connections run them) under ``EXPLAIN ANALYZE``."""
    captured: list[tuple[str, dict[str, Any]]] = []

    def keep(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, params))

    database = Database(url)
    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        with database.read_session() as session:
            ask(session)
    finally:
        database.dispose()
    total = 0
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("SET plan_cache_mode = force_generic_plan")
        for setting in AT_SIZE:
            connection.execute(setting)
        for i, (statement, params) in enumerate(captured):
            prepared, names = _numbered(statement)
            name = sql.Identifier(f"badge_read_{i}")
            connection.execute(sql.SQL("PREPARE {} AS ").format(name) + sql.SQL(prepared))
            explain = sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE {}").format(name)
            if names:
                values = sql.SQL(", ").join(sql.Literal(params[n]) for n in names)
                explain = explain + sql.SQL("({})").format(values)
            row = connection.execute(explain).fetchone()
            assert row is not None
            total += _rows(row[0][0]["Plan"])
    return total


@pytest.mark.postgres
def test_badge_rows_visited_on_postgres_do_not_grow(postgres_database_url: str) -> None:
    """PostgreSQL plans a probe its own way: a correlated ``EXISTS`` became a hash of every tag
    with the name (of any pacticipant), and naming the provider beside the content added every
    publication for the provider to a bitmap; neither shows on SQLite."""
    url = postgres_database_url

    def visited() -> dict[str, int]:
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as c:
            c.execute("ANALYZE")  # a running database has its statistics
        return {name: _visited(url, ask) for name, ask in BADGES.items()}

    with start_broker(url) as broker:
        _grow(broker, RELEASES)
        _grow(broker, SHORT)
        few = visited()
        _grow(broker, LONG)
        many = visited()

    assert all(few.values()), few
    assert _grown(few, many, 8) == {}
