"""A page of versions, and the pacts to verify for newest-version selectors, cost the same
however long the history; the page's total stays exact.

The scale benchmark (issue #20) asked ``GET /pacticipants/C00/versions?page=…&size=100`` at
300 and at 3,000 versions: the page counted every version of the pacticipant for
``page.totalElements``, about a third of its SQLite work at full size, growing with the
history. The database now keeps each pacticipant's count by trigger
(``db/version_counts.py``). These tests pin both halves: the page's statements are the same
and its SQLite steps do not grow from a short history to a long one, and the kept count is
the number of versions after every kind of write (one version, a bulk insert, a single
delete, a cleanup, a pacticipant deleted with all its versions), on both databases.

The benchmark's "for-verification (branch, latest, tag)" grew too, but because its answer
did: ``{"tag": "prod"}`` selects every prod version. Without it (each selector choosing a
newest version) the work is flat, which the last tests pin; the every-version selector is a
whole list, as long as the tag's history, and costs the same per pact.
"""

import base64
import json
from collections.abc import Callable, Iterator, Sequence

import pytest
from accord_broker.db import Database, migrate
from accord_broker.db.models import Version
from accord_broker.domain.for_verification.resolution import pacts_for_verification
from accord_broker.domain.for_verification.selectors import parse_for_verification_request
from accord_broker.domain.operations.cleanup import KeepSelector, clean
from accord_broker.domain.pacticipants.pacticipants import delete_pacticipant, get_pacticipant
from accord_broker.domain.pacts.contracts import publish_contracts, read_publish_contracts_request
from accord_broker.domain.versions import tags
from accord_broker.domain.versions import versions as version_store
from accord_broker.domain.versions import views as version_views
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tests.broker.conftest import make_pact
from tests.broker.sqlite_work import for_verification_steps, session_steps
from tests.broker.statement_counts import select_statements

SHORT, LONG = 12, 300
PAGE, SIZE = 2, 5
STEPS_PER_CALLBACK = 50
VERSION_PAGE_STATEMENTS = 3
"""The page with the kept count (the pacticipant found by name inside it), environments, then
the page's tags, branches and pact providers in one statement."""


def _add_versions(db: Database, pacticipant: str, first: int, last: int) -> None:
    """Versions ``first``..``last`` (inclusive) of ``pacticipant``, every other tagged dev."""

    def write(session: Session) -> None:
        for n in range(first, last + 1):
            version, _created = version_store.ensure_version(session, pacticipant, f"{n}.0.0")
            if n % 2 == 0:
                tags.add_tag(session, version, "dev")

    db.write(write)


def _page(session: Session) -> tuple[list[str], int]:
    found, total = version_views.list_version_views(session, "Web", page=PAGE, size=SIZE)
    return [v.number for v in found], total


def _counted(session: Session, pacticipant: str) -> int:
    """The versions counted the slow way, to check the kept count against."""
    owner = get_pacticipant(session, pacticipant)
    counted = session.scalar(
        select(func.count()).select_from(Version).where(Version.pacticipant_id == owner.id)
    )
    return int(counted or 0)


def _totals(db: Database, *pacticipants: str) -> dict[str, tuple[int, int]]:
    """(kept, counted) per pacticipant."""
    with db.read_session() as session:
        return {
            name: (
                version_store.version_count(session, get_pacticipant(session, name).id),
                _counted(session, name),
            )
            for name in pacticipants
        }


@pytest.fixture(params=[SHORT, LONG], ids=["short-history", "long-history"])
def history(request: pytest.FixtureRequest, database_url: str) -> Iterator[tuple[str, int]]:
    migrate(database_url)
    db = Database(database_url)
    try:
        _add_versions(db, "Web", 1, request.param)
        _add_versions(db, "Accounts", 1, 3)
    finally:
        db.dispose()
    yield database_url, request.param


def test_a_version_page_runs_the_same_statements_at_any_history(
    history: tuple[str, int],
) -> None:
    url, versions = history
    db = Database(url)
    try:
        with db.read_session() as session:
            numbers, total = _page(session)
    finally:
        db.dispose()

    assert total == versions
    assert numbers == [f"{n}.0.0" for n in range(versions - SIZE, versions - 2 * SIZE, -1)]
    assert select_statements(url, _page) == VERSION_PAGE_STATEMENTS


@pytest.fixture
def short_and_long(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, ...]]:
    built = []
    for versions in (SHORT, LONG):
        url = f"sqlite:///{tmp_path_factory.mktemp('growth') / 'broker.sqlite'}"
        migrate(url)
        db = Database(url)
        _add_versions(db, "Web", 1, versions)
        built.append(db)
    try:
        yield tuple(built)
    finally:
        for db in built:
            db.dispose()


def test_a_version_page_does_not_grow_with_the_history(
    short_and_long: tuple[Database, Database],
) -> None:
    """25 times the versions: counting them for the total cost ~3 steps each (issue #20)."""
    short, long = short_and_long

    few = session_steps(short, _page, STEPS_PER_CALLBACK)
    many = session_steps(long, _page, STEPS_PER_CALLBACK)

    assert few > 0
    assert many < 1.2 * few + 2 * STEPS_PER_CALLBACK, (few, many)


def test_the_kept_count_follows_every_write(database_url: str) -> None:
    migrate(database_url)
    db = Database(database_url)
    try:
        _add_versions(db, "Web", 1, 6)
        _add_versions(db, "Accounts", 1, 2)
        _add_versions(db, "Web", 3, 4)  # already there: nothing created
        assert _totals(db, "Web", "Accounts") == {"Web": (6, 6), "Accounts": (2, 2)}

        def bulk(session: Session) -> None:  # several versions in one statement
            owner = get_pacticipant(session, "Web")
            rows = [
                {"pacticipant_id": owner.id, "number": f"bulk-{n}", "order": 100 + n}
                for n in range(3)
            ]
            session.execute(insert(Version).values(rows))

        db.write(bulk)
        assert _totals(db, "Web") == {"Web": (9, 9)}

        db.write(lambda s: version_store.delete_version(s, "Web", "2.0.0"))
        assert _totals(db, "Web", "Accounts") == {"Web": (8, 8), "Accounts": (2, 2)}

        report = db.write(lambda s: clean(s, (KeepSelector(latest=True),)))
        assert report.deleted_versions == 8  # all but each pacticipant's newest
        assert _totals(db, "Web", "Accounts") == {"Web": (1, 1), "Accounts": (1, 1)}

        db.write(lambda s: delete_pacticipant(s, "Web"))  # its versions go by cascade
        _add_versions(db, "Web", 1, 2)  # a new Web starts from nothing
        assert _totals(db, "Web", "Accounts") == {"Web": (2, 2), "Accounts": (1, 1)}
    finally:
        db.dispose()


NEWEST_SELECTORS: list[dict[str, object]] = [
    {"branch": "main"},
    {"branch": "feat-a", "fallbackBranch": "main"},
    {"latest": True},
    {"tag": "dev", "latest": True},
    {"tag": "prod", "latest": True},
    {"consumer": "Web", "latest": True},
]
"""The benchmark's "for-verification (branch, latest, tag)": each picks a newest version."""
PUBLISHED_SHORT, PUBLISHED_LONG = 8, 120


def _to_verify(selectors: list[dict[str, object]]) -> dict[str, object]:
    return {
        "consumerVersionSelectors": selectors,
        "includePendingStatus": True,
        "providerVersionBranch": "main",
    }


def _publish(db: Database, n: int) -> None:
    """Web's version ``n`` with its pact for Accounts: on main (every fourth on ``feat-a``),
    tagged ``dev`` every other version and ``prod`` every fifth; new content every third."""
    pact = make_pact("Web", "Accounts", f"request {n // 3}")
    body = {
        "pacticipantName": "Web",
        "pacticipantVersionNumber": f"{n}.0.0",
        "branch": "feat-a" if n % 4 == 3 else "main",
        "tags": (["dev"] if n % 2 == 0 else []) + (["prod"] if n % 5 == 0 else []),
        "contracts": [
            {
                "consumerName": "Web",
                "providerName": "Accounts",
                "content": base64.b64encode(json.dumps(pact).encode()).decode(),
            }
        ],
    }
    request = read_publish_contracts_request(body)
    db.write(lambda s: publish_contracts(s, request, allow_modification=False))


def _published(url: str, versions: int) -> Database:
    migrate(url)
    db = Database(url)
    for n in range(1, versions + 1):
        _publish(db, n)
    return db


def _pacts_to_verify(selectors: list[dict[str, object]]) -> Callable[[Session], Sequence[object]]:
    request = parse_for_verification_request(_to_verify(selectors))
    return lambda session: pacts_for_verification(session, "Accounts", request)


@pytest.fixture(params=[PUBLISHED_SHORT, PUBLISHED_LONG], ids=["short-history", "long-history"])
def published(request: pytest.FixtureRequest, database_url: str) -> Iterator[str]:
    _published(database_url, request.param).dispose()
    yield database_url


def test_newest_version_selectors_run_the_same_statements_at_any_history(
    published: str,
) -> None:
    db = Database(published)
    try:
        with db.read_session() as session:
            found = _pacts_to_verify(NEWEST_SELECTORS)(session)
    finally:
        db.dispose()

    assert found  # the newest of main, of feat-a, of dev and of prod
    # the selectors in one statement, then the fallback branch's (asked whenever a selector
    # has a fallback) for the consumers ``feat-a`` found nothing for
    assert select_statements(published, _pacts_to_verify(NEWEST_SELECTORS)) == 2


@pytest.fixture
def published_short_and_long(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Database, Database]]:
    built = [
        _published(f"sqlite:///{tmp_path_factory.mktemp('verify') / 'broker.sqlite'}", n)
        for n in (PUBLISHED_SHORT, PUBLISHED_LONG)
    ]
    try:
        yield built[0], built[1]
    finally:
        for db in built:
            db.dispose()


def test_newest_version_selectors_do_not_grow_with_the_history(
    published_short_and_long: tuple[Database, Database],
) -> None:
    short, long = published_short_and_long

    few = for_verification_steps(short, "Accounts", _to_verify(NEWEST_SELECTORS))
    many = for_verification_steps(long, "Accounts", _to_verify(NEWEST_SELECTORS))

    assert few > 0
    # 15 times the versions (and prod versions): reading them would cost many times the steps
    assert many < 1.5 * few + 200, (few, many)


@pytest.fixture
def tagged_short_and_long(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Database, Database]]:
    """Histories with 8 and with 32 prod versions (every fifth of 40 and of 160)."""
    built = [
        _published(f"sqlite:///{tmp_path_factory.mktemp('tagged') / 'broker.sqlite'}", n)
        for n in (40, 160)
    ]
    try:
        yield built[0], built[1]
    finally:
        for db in built:
            db.dispose()


def test_every_version_of_a_tag_costs_the_same_per_pact(
    tagged_short_and_long: tuple[Database, Database],
) -> None:
    """``{"tag": "prod"}`` is a whole list: one pact per content of every prod version."""
    every_prod: list[dict[str, object]] = [{"tag": "prod"}]
    pacts, steps = [], []
    for db in tagged_short_and_long:
        with db.read_session() as session:
            pacts.append(len(_pacts_to_verify(every_prod)(session)))
        steps.append(for_verification_steps(db, "Accounts", _to_verify(every_prod)))

    assert pacts == [8, 32]  # every prod version has content of its own
    few, many = steps[0] / pacts[0], steps[1] / pacts[1]
    assert many < 1.5 * few, (few, many)
