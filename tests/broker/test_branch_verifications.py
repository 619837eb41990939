"""``branch_verifications`` stays equal to what the history says, through every write and delete.

The table is derived data (which branches' provider versions verified which pacts
successfully); pending and WIP read it instead of walking a pact's results. Each test changes
the history through the broker's HTTP API, as clients do, and compares the table with the
same facts computed from ``verifications`` and ``branch_versions``. The last test shows why it
exists: a provider's new branch asks about a pact with many results at the cost of one probe.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from accord_broker.db import Database, migrate
from accord_broker.db.migrate import alembic_config
from accord_broker.db.models import BranchVerification, BranchVersion, Verification
from accord_broker.domain.for_verification.resolution import pacts_for_verification
from accord_broker.domain.for_verification.selectors import parse_for_verification_request
from accord_broker.domain.verifications.branch_verifications import rebuild_branch_verifications
from alembic import command
from sqlalchemy import delete, select

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.sqlite_work import for_verification_steps
from tests.broker.test_for_verification_support import (
    PROVIDER,
    for_verification,
    provider_version,
    publish,
    sha_of,
    verify,
)

Row = tuple[int, int, int, str, bool]


def _stored(database: Database) -> set[Row]:
    with database.read_session() as session:
        rows = session.execute(
            select(
                BranchVerification.branch_version_id,
                BranchVerification.verification_id,
                BranchVerification.pact_version_id,
                BranchVerification.branch_name,
                BranchVerification.wip,
            )
        ).all()
    return {(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows}


def _truth(database: Database) -> set[Row]:
    with database.read_session() as session:
        rows = session.execute(
            select(
                BranchVersion.id,
                Verification.id,
                Verification.pact_version_id,
                BranchVersion.branch_name,
                Verification.wip,
            )
            .join(BranchVersion, BranchVersion.version_id == Verification.provider_version_id)
            .where(Verification.success.is_(True))
        ).all()
    return {(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows}


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url) as running:
        yield running


@pytest.fixture
def database(broker: RunningBroker) -> Iterator[Database]:
    db = Database(broker.database_url)
    yield db
    db.dispose()


def _history(broker: RunningBroker) -> tuple[str, str]:
    """Two pacts; results by versions on main, on a feature branch, on both, and failures."""
    first = publish(broker, "Web", "1", branch="main")
    second = publish(broker, "Mobile", "7", branch="main")
    verify(broker, "Web", first, "p1", branch="main")
    verify(broker, "Web", first, "p2", branch="feat")
    verify(broker, "Mobile", second, "p2", branch="feat")
    verify(broker, "Mobile", second, "p3", branch="main", success=False)
    provider_version(broker, "p2", branch="main")  # p2 joins main after verifying
    return first, second


def test_results_and_branch_changes_keep_the_table_equal_to_the_history(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)

    stored = _stored(database)

    assert stored == _truth(database)
    assert {(row[3]) for row in stored} == {"main", "feat"}
    assert len(stored) == 5  # p1 main; p2 feat+main for two pacts; p3 failed: none


def test_deletes_take_their_rows_with_them(broker: RunningBroker, database: Database) -> None:
    _history(broker)
    before = len(_stored(database))

    removed = broker.delete(f"/pacticipants/{PROVIDER}/branches/feat/versions/p2")
    assert removed.status_code in (200, 204), removed.text
    assert _stored(database) == _truth(database)
    after_branch_removal = len(_stored(database))
    assert after_branch_removal == before - 2

    gone = broker.delete(f"/pacticipants/{PROVIDER}/versions/p1")
    assert gone.status_code in (200, 204), gone.text
    assert _stored(database) == _truth(database)
    assert len(_stored(database)) == after_branch_removal - 1

    pact = broker.delete("/pacts/provider/Accounts/consumer/Mobile/version/7")
    assert pact.status_code in (200, 204), pact.text
    assert _stored(database) == _truth(database)

    assert broker.delete(f"/pacticipants/{PROVIDER}").status_code in (200, 204)
    assert _stored(database) == set()


def test_rebuilding_from_the_history_gives_the_same_rows(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)
    kept = _stored(database)

    database.write(rebuild_branch_verifications)

    assert _stored(database) == kept


def test_the_migration_fills_the_table_from_an_existing_history(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)
    kept = _stored(database)
    database.dispose()

    config = alembic_config(broker.database_url)
    command.downgrade(config, "0007_matrix_by_pacticipant")
    command.upgrade(config, "head")

    assert _stored(database) == kept != set()


def test_a_version_that_joins_a_branch_after_verifying_counts_for_that_branch(
    broker: RunningBroker,
) -> None:
    """p2 verified Mobile's pact while on ``feat`` only, then joined ``main``: the pact is no
    longer pending for ``main`` (a row written when the version joined the branch)."""
    _first, second = _history(broker)

    entries = for_verification(
        broker,
        consumerVersionSelectors=[{"mainBranch": True}],
        includePendingStatus=True,
        providerVersionBranch="main",
    )

    pending = {sha_of(e): e["verificationProperties"]["pending"] for e in entries}
    assert pending[second] is False


@pytest.fixture
def database_with_results(tmp_path: Path) -> Iterator[Callable[[int], Database]]:
    made: list[Database] = []

    def build(results: int) -> Database:
        url = f"sqlite:///{tmp_path / f'results-{results}.sqlite'}"
        migrate(url)
        db = Database(url)
        made.append(db)
        with start_broker(url) as broker:
            sha = publish(broker, "Web", "1", branch="main")
            for n in range(results):
                verify(broker, "Web", sha, f"p{n}", branch="feat")
        return db

    yield build
    for db in made:
        db.dispose()


def _steps(db: Database, branch: str) -> int:
    body = {
        "consumerVersionSelectors": [{"mainBranch": True}],
        "includePendingStatus": True,
        "providerVersionBranch": branch,
    }
    return for_verification_steps(db, PROVIDER, body)


def test_pending_for_a_branch_that_never_verified_a_pact_costs_the_same_with_many_results(
    database_with_results: Callable[[int], Database],
) -> None:
    """A provider's new branch asks about a pact that versions on other branches verified
    many times: the check is one probe, not one per result (15,000 on a busy pact)."""
    few = _steps(database_with_results(3), "brand-new")
    many = _steps(database_with_results(60), "brand-new")

    assert few > 0
    assert many < 1.5 * few, (few, many)


def test_the_check_behind_it_is_gone_when_the_table_is_emptied(
    database_with_results: Callable[[int], Database],
) -> None:
    """The table is what answers: with its rows deleted, a verified pact reads as pending."""
    db = database_with_results(3)
    request = parse_for_verification_request(
        {
            "consumerVersionSelectors": [{"mainBranch": True}],
            "includePendingStatus": True,
            "providerVersionBranch": "feat",
        }
    )
    with db.read_session() as session:
        [before] = pacts_for_verification(session, PROVIDER, request)
    db.write(lambda s: s.execute(delete(BranchVerification)))
    with db.read_session() as session:
        [after] = pacts_for_verification(session, PROVIDER, request)

    assert (before.pending, after.pending) == (False, True)
