"""Data retention: ``clean`` keeps what can-i-deploy needs and deletes the rest."""

from collections.abc import Iterator

import pytest
from accord_broker.db.engine import Database
from accord_broker.domain.operations.cleanup import (
    DEFAULT_KEEP,
    KeepSelector,
    clean,
    parse_keep_selectors,
)
from accord_broker.errors import BrokerInputError

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import (
    can_i_deploy,
    create_environment,
    deploy,
    publish,
    verify,
)

OLD_ONLY = (
    KeepSelector(deployed=True),
    KeepSelector(released=True),
    KeepSelector(latest=True),
    KeepSelector(branch=True, latest=True),
    KeepSelector(tag=True, latest=True),
)
"""The default selectors without the 90-day age rule (every test version is young)."""


@pytest.fixture
def database(broker: RunningBroker) -> Iterator[Database]:
    db = Database(broker.database_url)
    yield db
    db.dispose()


def _numbers(broker: RunningBroker, pacticipant: str) -> list[str]:
    body = broker.get(f"/pacticipants/{pacticipant}/versions").json()
    return sorted(v["number"] for v in body["_embedded"]["versions"])


def _history(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    for number in ("1", "2", "3"):
        publish(broker, "Web", number, "Accounts", f"request {number}", branch="main")
    publish(broker, "Web", "4", "Accounts", "request 4", branch="feat-x", tags=["qa"])
    publish(broker, "Web", "5", "Accounts", "request 5", branch="feat-x")
    for number in ("10", "11", "12"):
        verify(broker, "Accounts", number, "Web", "1")
    deploy(broker, "Web", "1", "production")
    deploy(broker, "Accounts", "11", "production")


def test_clean_keeps_deployed_versions_branch_heads_latest_tags_and_latest(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)
    report = database.write(lambda s: clean(s, OLD_ONLY))
    assert _numbers(broker, "Web") == ["1", "3", "4", "5"]
    assert _numbers(broker, "Accounts") == ["11", "12"]
    assert report.deleted_versions == 2
    assert sorted(report.deleted) == ["Accounts@10", "Web@2"]
    assert report.deleted_pact_versions == 1  # "request 2" was only Web 2's content


def test_can_i_deploy_answers_the_same_after_a_clean(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)
    before = can_i_deploy(broker, "Accounts", "12", "production")["summary"]
    database.write(lambda s: clean(s, OLD_ONLY))
    after = can_i_deploy(broker, "Accounts", "12", "production")["summary"]
    assert before == after
    assert after["deployable"] is True


def test_a_dry_run_deletes_nothing(broker: RunningBroker, database: Database) -> None:
    _history(broker)
    report = database.write(lambda s: clean(s, OLD_ONLY, dry_run=True))
    assert report.dry_run and report.deleted_versions == 2
    assert _numbers(broker, "Web") == ["1", "2", "3", "4", "5"]


def test_the_default_keeps_everything_younger_than_90_days(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)
    report = database.write(lambda s: clean(s, DEFAULT_KEEP))
    assert report.deleted_versions == 0


def test_a_limit_deletes_the_oldest_first(broker: RunningBroker, database: Database) -> None:
    _history(broker)
    report = database.write(lambda s: clean(s, OLD_ONLY, limit=1))
    assert report.deleted == ["Web@2"]


def test_keep_selectors_are_read_from_the_pact_broker_json_form() -> None:
    parsed = parse_keep_selectors(
        '[{"deployed": true}, {"branch": "main", "latest": true}, {"max_age": 30}]'
    )
    assert parsed == (
        KeepSelector(deployed=True),
        KeepSelector(branch="main", latest=True),
        KeepSelector(max_age_days=30),
    )
    with pytest.raises(BrokerInputError, match="unknown key 'deploy'"):
        parse_keep_selectors('[{"deploy": true}]')
    with pytest.raises(BrokerInputError, match="at least one keep selector"):
        clean(None, ())  # type: ignore[arg-type]
