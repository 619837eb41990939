"""The matrix's pages, on PostgreSQL, read the same rows however long the history.

The scale benchmark (issue #20) found PostgreSQL growing where SQLite stayed flat, because its
generic plans (the broker's prepared statements run ``plan_cache_mode = force_generic_plan``)
chose other paths than SQLite's: a pair's pacts read through ``(consumer_id)`` and sorted, a
provider's results all sorted for a page, a branch's rows named through every version of the
branch. ``SQLite steps`` (``test_matrix_flat.py``) could not see them.

Here a question's statements are replayed as the broker runs them (prepared, generic plan,
``EXPLAIN ANALYZE``; sequential scans off, as a table of a few pages would otherwise be read
whole) and the rows one table gives one statement are counted: deterministic, unlike a timing.
Between a history of 20 versions and one of 100, of the same shape, none of these counts may
grow. (On tables this small the planner reads many other ranges whole, where at the
benchmark's size it walks them newest first; those are measured on the kept scale data sets,
``benchmarks/broker_scale``, not pinned here.)
"""

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from accord_broker.db import Database
from accord_broker.domain import matrix
from accord_broker.domain.matrix import whole_branch
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.generic_plans import generic_plan
from tests.broker.release_history import publish, verify

SHORT, LONG = range(1, 21), range(21, 101)
SLACK = 2
"""Rows a flat read may give more at the long history (a tie at a page's edge)."""


def _grow(broker: RunningBroker, versions: range) -> None:
    """Web publishes each version on ``main`` (the same hot content), Mobile one pact in
    between; each new Accounts version on ``main`` verifies Web's newest."""
    for n in versions:
        publish(broker, "Web", f"{n}.0.0", "Accounts", "hot call", branch="main")
        publish(broker, "Mobile", f"m{n}", "Accounts", f"mobile call {n}", branch="main")
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}.0.0", branch="main")


def _asked(query: str) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        answer = matrix.answer(session, matrix.parse_matrix_query(query))
        assert answer.result.considered, query
        return answer

    return ask


PAIR = "q[][pacticipant]=Web&q[][pacticipant]=Accounts"
BRANCH = "q[][pacticipant]=Web&q[][branch]=main&latestby=cvp&latest=true&limit=3"
Probe = tuple[Callable[[Session], object], str, str]
PROBES: dict[str, Probe] = {
    # the rows' versions named on the branch: looked up by the rows' ids, not by reading every
    # version of the branch and filtering it by them
    "--branch: the rows' versions on the branch": (
        _asked(BRANCH),
        "FROM branch_versions JOIN versions",
        "branch_versions",
    ),
    # a pair's newest pacts: walked newest first per provider, the consumer tested
    "pair cvp: the pair's pacts": (
        _asked(f"{PAIR}&latestby=cvp&limit=3"),
        "WITH",
        "latest_pact_publications",
    ),
    # a provider alone: its newest results, in order from ``(provider_id, created_at)``
    "provider alone: its results": (
        _asked("q[][pacticipant]=Accounts&latestby=cvpv&limit=3"),
        "WITH",
        "latest_verifications",
    ),
    # a consumer alone: its newest pacts, in order from ``(consumer_id, created_at)``
    "consumer alone: its pacts": (
        _asked("q[][pacticipant]=Web&latestby=cvpv&limit=3"),
        "WITH",
        "latest_pact_publications",
    ),
}
"""(question, a text its statement contains, the table whose rows it reads are counted)."""


def _visited(node: dict[str, Any], table: str) -> int:
    """The rows ``table``'s scans returned or filtered out, every loop."""
    own = 0
    if node.get("Relation Name") == table:
        rows = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        rows += node.get("Rows Removed by Index Recheck", 0)
        own = int(rows * node.get("Actual Loops", 1))
    return own + sum(_visited(child, table) for child in node.get("Plans", []))


def _rows_visited(url: str, probe: Probe) -> int:
    """The rows of the probe's table its statements read."""
    ask, marker, table = probe
    captured: list[tuple[str, dict[str, Any]]] = []

    def keep(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and marker in statement:
            captured.append((statement, params if isinstance(params, dict) else {}))

    database = Database(url)
    try:
        with database.read_session() as session:
            ask(session)  # per-process caches filled: only the answer's own reads below
        event.listen(database.engine, "before_cursor_execute", keep)
        with database.read_session() as session:
            ask(session)
    finally:
        database.dispose()
    assert captured, marker
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    return sum(
        _visited(generic_plan(dsn, statement, params), table) for statement, params in captured
    )


def _all_visited(url: str) -> dict[str, int]:
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("ANALYZE")
    return {name: _rows_visited(url, probe) for name, probe in PROBES.items()}


@pytest.fixture
def broker(postgres_database_url: str) -> Iterator[RunningBroker]:
    with start_broker(postgres_database_url) as running:
        yield running


@pytest.mark.usefixtures("large_branches")
def test_the_matrix_pages_read_the_same_rows_at_any_history(broker: RunningBroker) -> None:
    url = broker.database_url
    _grow(broker, SHORT)
    short = _all_visited(url)
    _grow(broker, LONG)
    long = _all_visited(url)

    # five times the versions, pacts and results: each of these reads was the whole branch,
    # the pair's pacts or the provider's results, five times the rows
    grown = {name: (short[name], rows) for name, rows in long.items() if rows > short[name] + SLACK}
    assert grown == {}
    assert all(short.values()), short


@pytest.fixture
def large_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every branch treated as large (walked newest first, membership tested): the path a
    branch of thousands of versions takes."""
    monkeypatch.setattr(whole_branch, "SMALL_BRANCH", 1)
