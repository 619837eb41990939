"""Pact lists and a pact's neighbours cost the same, however long the pair's history.

The scale benchmark (issue #20) found these reads loading every publication of a pair or a
provider, pact content included, and filtering in Python, or running one correlated subquery
per publication. This publishes a short and a long history of the same shape and asks each
read twice: the statement count must be equal on both databases, and for the reads whose
answer is bounded (each consumer's newest pact, the previous distinct pact, the change page)
SQLite's virtual-machine steps must not grow with the history (a deterministic measure of
the work, see ``sqlite_work.py``).
"""

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from accord_broker.db import Database, migrate
from accord_broker.domain.pacts import branch_pacts, pact_changes, pact_history, pact_lists, pacts
from accord_broker.domain.pacts.contracts import publish_contracts, read_publish_contracts_request
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.broker.conftest import make_pact
from tests.broker.sqlite_work import session_steps

SHORT, LONG = 8, 160
STEPS_PER_CALLBACK = 50


def _number(n: int) -> str:
    return f"{n}.0.0"


def _publish(db: Database, consumer: str, n: int, provider: str = "Accounts") -> None:
    """Version ``n`` of ``consumer``: on main (every fourth on a feature branch), tagged
    ``dev`` every other version and ``prod`` every fifth; the content changes every third."""
    pact = make_pact(consumer, provider, f"request {n // 3}")
    tags = (["dev"] if n % 2 == 0 else []) + (["prod"] if n % 5 == 0 else [])
    body = {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": _number(n),
        "branch": f"feat-{n}" if n % 4 == 3 else "main",
        "tags": tags,
        "contracts": [
            {
                "consumerName": consumer,
                "providerName": provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(json.dumps(pact).encode()).decode(),
            }
        ],
    }
    request = read_publish_contracts_request(body)
    db.write(lambda s: publish_contracts(s, request, allow_modification=False))


@pytest.fixture(params=[SHORT, LONG], ids=["short-history", "long-history"])
def history(request: pytest.FixtureRequest, database_url: str) -> Iterator[tuple[Database, int]]:
    """Web with ``SHORT`` or ``LONG`` versions, Mobile with a few; both consume Accounts."""
    migrate(database_url)
    db = Database(database_url)
    try:
        for n in range(1, request.param + 1):
            _publish(db, "Web", n)
        for n in range(1, 4):
            _publish(db, "Mobile", n)
        yield db, request.param
    finally:
        db.dispose()


def _newest(versions: int) -> str:
    return _number(versions)


READS: dict[str, Callable[[Session, int], object]] = {
    "provider latest tagged pacts": lambda s, _n: pact_lists.pacts_for_provider(
        s, "Accounts", latest=True, tag="prod"
    ),
    "provider latest pacts": lambda s, _n: pact_lists.pacts_for_provider(
        s, "Accounts", latest=True
    ),
    "latest pacts": lambda s, _n: pact_lists.latest_pacts_of_every_integration(s),
    "provider main-branch latest": lambda s, _n: branch_pacts.pacts_on_branch(
        s, "Accounts", latest=True
    ),
    "pair branch latest list": lambda s, _n: branch_pacts.pacts_on_branch(
        s, "Accounts", consumer_name="Web", branch="main", latest=True
    ),
    "pair main-branch latest pact": lambda s, _n: branch_pacts.latest_main_branch_pact(
        s, "Accounts", "Web"
    ),
    "pair branch latest pact": lambda s, _n: pacts.latest_pact(s, "Accounts", "Web", branch="main"),
    "pair latest tagged pact": lambda s, _n: pacts.latest_pact(s, "Accounts", "Web", tag="dev"),
    "previous distinct": lambda s, n: pact_history.previous_distinct_pact(
        s, "Accounts", "Web", _newest(n)
    ),
    "UI pact changes": lambda s, n: pact_changes.changes_since_previous(
        s, "Accounts", "Web", _newest(n), max_bytes=1_000_000
    ),
}
"""Reads whose answer is bounded: neither their statements nor their work may grow."""

LISTS: dict[str, Callable[[Session, int], object]] = {
    "pair tagged pacts": lambda s, _n: pact_history.tagged_pacts_between(
        s, "Accounts", "Web", "dev"
    ),
    "pair pact versions": lambda s, _n: pact_lists.pact_listings_between(s, "Accounts", "Web"),
    "provider pacts": lambda s, _n: pact_lists.pacts_for_provider(s, "Accounts", latest=False),
    "provider tagged pacts": lambda s, _n: pact_lists.pacts_for_provider(
        s, "Accounts", latest=False, tag="dev"
    ),
    "pair main-branch pacts": lambda s, _n: branch_pacts.pacts_on_branch(
        s, "Accounts", consumer_name="Web"
    ),
    "provider branch pacts": lambda s, _n: branch_pacts.pacts_on_branch(
        s, "Accounts", branch="main"
    ),
}
"""Lists as long as the history: one statement each, whatever their length."""


@contextmanager
def _counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _statements(db: Database, versions: int, read: Callable[[Session, int], object]) -> int:
    with db.read_session() as session:
        read(session, versions)  # the first asking may fill per-process caches
    with _counting(db) as statements, db.read_session() as session:
        read(session, versions)
    return len(statements)


def _steps(db: Database, versions: int, read: Callable[[Session, int], object]) -> int:
    return session_steps(db, lambda session: read(session, versions), STEPS_PER_CALLBACK)


EXPECTED_STATEMENTS = {
    "provider latest tagged pacts": 2,
    "provider latest pacts": 2,
    "latest pacts": 1,
    "provider main-branch latest": 2,
    "pair branch latest list": 2,
    "pair main-branch latest pact": 4,
    "pair branch latest pact": 2,
    "pair latest tagged pact": 2,
    "previous distinct": 3,
    "UI pact changes": 3,
    "pair tagged pacts": 2,
    "pair pact versions": 2,
    "provider pacts": 2,
    "provider tagged pacts": 2,
    "pair main-branch pacts": 2,
    "provider branch pacts": 2,
}
"""A pair's two pacticipants in one lookup by name, then one statement per list or pact (none
per row)."""


@pytest.mark.parametrize("name", [*READS, *LISTS])
def test_pact_reads_run_a_fixed_number_of_statements(
    history: tuple[Database, int], name: str
) -> None:
    db, versions = history

    count = _statements(db, versions, {**READS, **LISTS}[name])

    assert count == EXPECTED_STATEMENTS[name], (name, versions, count)


@pytest.fixture
def short_and_long(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Database]]:
    built = []
    for versions in (SHORT, LONG):
        url = f"sqlite:///{tmp_path_factory.mktemp('work') / 'broker.sqlite'}"
        migrate(url)
        db = Database(url)
        for n in range(1, versions + 1):
            _publish(db, "Web", n)
        for n in range(1, 4):
            _publish(db, "Mobile", n)
        built.append(db)
    try:
        yield built[0], built[1]
    finally:
        for db in built:
            db.dispose()


def test_bounded_pact_reads_do_not_grow_with_the_history(
    short_and_long: tuple[Database, Database],
) -> None:
    short, long = short_and_long
    grown = {}
    for name, read in READS.items():
        few, many = _steps(short, SHORT, read), _steps(long, LONG, read)
        assert few > 0, name
        if many >= 1.5 * few + 2 * STEPS_PER_CALLBACK:
            grown[name] = (few, many)

    # 20 times the versions: reading the pair's history would cost many times the steps.
    assert grown == {}


BRANCH_LISTS = ("pair main-branch pacts", "provider branch pacts")


@pytest.fixture
def other_history_short_and_long(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Database, Database]]:
    """The same pacts with Accounts twice; a pair that does not involve Accounts (Batch and
    Billing, on ``main`` too) with a short and a long history."""
    built = []
    for versions in (SHORT, LONG):
        url = f"sqlite:///{tmp_path_factory.mktemp('work') / 'broker.sqlite'}"
        migrate(url)
        db = Database(url)
        for n in range(1, SHORT + 1):
            _publish(db, "Web", n)
        for n in range(1, versions + 1):
            _publish(db, "Batch", n, provider="Billing")
        built.append(db)
    try:
        yield built[0], built[1]
    finally:
        for db in built:
            db.dispose()


def test_branch_lists_do_not_read_other_pacticipants_branches(
    other_history_short_and_long: tuple[Database, Database],
) -> None:
    """A branch list grows with its own answer only: the statement once walked every version
    of every pacticipant's branch of that name (issue #20, PostgreSQL: 162,500
    ``branch_versions`` rows for 4,500 pacts), so another pair's history made it slower."""
    short, long = other_history_short_and_long
    grown = {}
    for name in BRANCH_LISTS:
        read = LISTS[name]
        few, many = _steps(short, SHORT, read), _steps(long, SHORT, read)
        assert few > 0, name
        if many >= 1.5 * few + 2 * STEPS_PER_CALLBACK:
            grown[name] = (few, many)

    assert grown == {}
