"""``/metrics`` counts kept on write (issue #20): equal to counting the tables after any history
(publications, results, tags, branches, deployments, releases, webhooks, deletions through the
API, a pacticipant's cascade, the cleanup command), folded or not, in a fixed number of
statements whatever the history's size."""

from collections.abc import Iterator
from typing import Any

import pytest
from accord_broker.db import Database, migrate
from accord_broker.db.migrate import alembic_config
from accord_broker.domain.operations import metrics
from accord_broker.domain.operations.cleanup import DEFAULT_KEEP, KeepSelector, clean
from accord_broker.domain.operations.metrics import broker_metrics
from accord_broker.domain.unit_of_work import UnitOfWork
from alembic import command
from sqlalchemy import event

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.metrics_reference import counted_metrics
from tests.broker.release_history import (
    create_environment,
    deploy,
    publish,
    release,
    undeploy,
    verify,
)
from tests.broker.webhook_receiver import WEBHOOK_SETTINGS, webhook_body

HOOK = "http://127.0.0.1:9/hook"
KEEP_NEWEST = (KeepSelector(latest=True), KeepSelector(deployed=True))
METRICS_BUDGET = 4
"""The sums by name, the four date seeks in one, the interactions, whether to fold."""


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(
        database_url,
        **WEBHOOK_SETTINGS,
        webhook_worker_enabled=False,
        allow_dangerous_contract_modification=True,
    ) as running:
        yield running


@pytest.fixture
def database(broker: RunningBroker) -> Iterator[Database]:
    db = Database(broker.database_url)
    yield db
    db.dispose()


def _kept(database: Database) -> dict[str, Any]:
    return broker_metrics(UnitOfWork(database))


def _counted(database: Database) -> dict[str, Any]:
    with database.read_session() as session:
        return counted_metrics(session)


def _history(broker: RunningBroker, versions: int) -> None:
    create_environment(broker, "production", production=True)
    assert broker.post("/webhooks", webhook_body(HOOK)).ok
    for n in range(1, versions + 1):
        tags = ["dev"] if n % 2 else ["dev", "prod"]
        publish(broker, "Web", f"{n}", "Accounts", f"call {n % 3}", branch="main", tags=tags)
        publish(broker, "Web", f"{n}", "Ledger", "entry", branch="main")
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}", success=n % 4 != 0, branch="main")
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}")  # the same result again
    publish(broker, "Web", "1", "Accounts", "call 1", "republished")  # a second revision
    deployed = deploy(broker, "Accounts", "a1", "production")
    deploy(broker, "Web", f"{versions}", "production")
    release(broker, "Web", "2", "production")
    undeploy(broker, deployed)
    assert broker.put("/pacticipants/Ledger", {"mainBranch": "trunk"}).ok


def test_the_kept_counts_equal_counting_the_tables_through_any_history(
    broker: RunningBroker, database: Database
) -> None:
    assert _kept(database) == _counted(database)  # empty
    _history(broker, 6)
    assert _kept(database) == _counted(database)

    assert broker.delete("/pacticipants/Web/versions/3").status_code in (200, 204)
    assert broker.delete("/pacts/provider/Ledger/consumer/Web/version/4").status_code in (200, 204)
    assert broker.delete("/pacticipants/Web/versions/5/tags/dev").status_code in (200, 204)
    assert _kept(database) == _counted(database)

    database.write(lambda session: clean(session, KEEP_NEWEST))
    database.write(lambda session: clean(session, DEFAULT_KEEP))
    after_clean = _kept(database)
    assert after_clean == _counted(database)
    assert after_clean["pacticipantVersions"]["count"] < 12

    assert broker.delete("/pacticipants/Accounts").status_code in (200, 204)
    assert _kept(database) == _counted(database)


def test_the_migration_counts_a_history_made_before_it(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "0011_pending_comparisons")
    with start_broker(
        database_url,
        **WEBHOOK_SETTINGS,
        webhook_worker_enabled=False,
        migrate_on_start=False,
        allow_dangerous_contract_modification=True,
    ) as broker:
        _history(broker, 4)
    migrate(database_url)
    database = Database(database_url)
    try:
        kept = _kept(database)
        assert kept == _counted(database)
        assert kept["verificationResultsPerPactVersion"]["distribution"]
        with start_broker(database_url, **WEBHOOK_SETTINGS, webhook_worker_enabled=False) as broker:
            verify(broker, "Accounts", "a9", "Web", "2")
            assert broker.delete("/pacticipants/Web/versions/1").status_code in (200, 204)
        assert _kept(database) == _counted(database)
    finally:
        database.dispose()


def test_folding_the_changes_keeps_every_count(
    broker: RunningBroker, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(broker, 3)
    before = _counted(database)
    monkeypatch.setattr(metrics, "FOLD_AFTER", 5)

    folded = _kept(database)
    again = _kept(database)

    assert folded == before and again == before
    with database.read_session() as session:
        rows = session.execute(metrics.select(metrics.MetricDelta.name)).scalars().all()
    assert len(rows) == len(set(rows))  # one row per figure


def _statements(database: Database) -> int:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        _kept(database)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])


def test_the_answer_takes_the_same_few_statements_whatever_the_history(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker, 2)
    small = _statements(database)
    for n in range(3, 13):
        publish(broker, "Web", f"{n}", "Accounts", f"call {n}", branch="main", tags=["dev"])
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}")
    larger = _statements(database)

    assert small == larger
    assert larger <= METRICS_BUDGET
