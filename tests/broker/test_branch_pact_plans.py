"""The newest pact on a branch, on PostgreSQL: one index walk that stops at the first row.

The scale benchmark (issue #20) found PostgreSQL answering a provider's or a pair's branch pacts
by walking every version of every pacticipant's branch of that name (162,500
``branch_versions`` rows for 4,500 pacts), and the "latest on a branch" reads by sorting every
version of the branch before taking one. SQLite never planned them so, so
``test_pact_list_work.py`` (SQLite steps) could not see it. Here each read's statements are
replayed as the broker runs them on PostgreSQL (prepared, ``plan_cache_mode =
force_generic_plan``) under ``EXPLAIN ANALYZE``, and the ``branch_versions`` rows they visit
are counted (deterministic, unlike a timing): a pair that does not involve the provider
growing from 8 to 160 versions on ``main`` must not change the count.
"""

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from accord_broker.db import Database, migrate
from accord_broker.domain.pacts import branch_pacts, pacts
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.broker.generic_plans import generic_plan
from tests.broker.test_pact_list_work import _publish

OTHER_SHORT, OTHER_LONG = 8, 160
WEB_VERSIONS = 24
WEB_ON_MAIN = sum(1 for n in range(1, WEB_VERSIONS + 1) if n % 4 != 3)
"""Web's versions on ``main`` (every fourth is on a feature branch, see ``_publish``)."""
WEB_TAGGED_DEV = WEB_VERSIONS // 2
"""Web's versions tagged ``dev`` (every other one)."""

LATEST_ON_BRANCH: dict[str, Callable[[Session], object]] = {
    "provider main-branch latest": lambda s: branch_pacts.pacts_on_branch(
        s, "Accounts", latest=True
    ),
    "pair branch latest list": lambda s: branch_pacts.pacts_on_branch(
        s, "Accounts", consumer_name="Web", branch="main", latest=True
    ),
    "pair branch latest pact": lambda s: pacts.latest_pact(s, "Accounts", "Web", branch="main"),
    "pair main-branch latest pact": lambda s: branch_pacts.latest_main_branch_pact(
        s, "Accounts", "Web"
    ),
}
"""Reads of the newest pact on a branch (per consumer): Web's newest main version has one."""


def _table_rows(node: dict[str, Any], table: str) -> int:
    """Rows of ``table`` a plan visited (returned or filtered out, every loop)."""
    own = 0
    if node.get("Relation Name") == table:
        visited = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        own = int(visited * node.get("Actual Loops", 1))
    return own + sum(_table_rows(child, table) for child in node.get("Plans", []))


def _rows_visited(
    url: str, read: Callable[[Session], object], table: str = "branch_versions"
) -> int:
    """The ``table`` rows the read's SELECTs visit, summed over its statements."""
    captured: list[tuple[str, dict[str, Any]]] = []

    def keep(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        captured.append((statement, params if isinstance(params, dict) else {}))

    database = Database(url)
    try:
        event.listen(database.engine, "before_cursor_execute", keep)
        with database.read_session() as session:
            read(session)
    finally:
        database.dispose()
    assert captured
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    return sum(
        _table_rows(generic_plan(dsn, statement, params), table)
        for statement, params in captured
        if statement.lstrip().upper().startswith("SELECT")
    )


@pytest.fixture(params=[OTHER_SHORT, OTHER_LONG], ids=["other-short", "other-long"])
def other_history(request: pytest.FixtureRequest, postgres_database_url: str) -> Iterator[str]:
    """Web with ``WEB_VERSIONS`` versions for Accounts; Batch with a short or long history for
    Billing, on ``main`` too; statistics gathered, as a running database has them."""
    url = postgres_database_url
    migrate(url)
    db = Database(url)
    try:
        for n in range(1, WEB_VERSIONS + 1):
            _publish(db, "Web", n)
        for n in range(1, request.param + 1):
            _publish(db, "Batch", n, provider="Billing")
    finally:
        db.dispose()
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        c.execute("ANALYZE")
    yield url


@pytest.mark.parametrize("name", list(LATEST_ON_BRANCH))
def test_latest_on_a_branch_reads_one_branch_row_per_consumer(
    other_history: str, request: pytest.FixtureRequest, name: str
) -> None:
    rows = _rows_visited(other_history, LATEST_ON_BRANCH[name])

    # Web's newest version on main has a pact with Accounts: the walk stops at its first rows.
    # Sorting the branch first read all 18 of Web's main versions (3,000 on the benchmark's
    # hot pair); the other pair's history is never read either way.
    assert rows < WEB_ON_MAIN // 2, (name, request.node.callspec.id, rows)


def test_latest_tagged_pact_reads_one_tag_row(other_history: str) -> None:
    rows = _rows_visited(
        other_history, lambda s: pacts.latest_pact(s, "Accounts", "Web", tag="dev"), "tags"
    )

    # Web's newest ``dev`` version has a pact: joining ``tags`` sorted all 12 of them first.
    assert rows < WEB_TAGGED_DEV // 2, rows
