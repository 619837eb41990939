"""A write that lost a race runs again, and says so in the log (how often writers collide is
what an operator raising ``--workers`` needs to see), without the statement's values."""

import logging
from collections.abc import Iterator

import pytest
from accord_broker.db.engine import Database
from accord_broker.db.migrate import migrate
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

SECRET_NAME = "Billing-4f1c"
INSERT = (
    "INSERT INTO pacticipants (name, display_name, created_at, updated_at) "
    "VALUES (:name, :name, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    db = Database(database_url)
    yield db
    db.dispose()


def test_a_write_that_lost_a_race_runs_again_and_logs_it(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    database.write(lambda session: session.execute(text(INSERT), {"name": SECRET_NAME}))
    attempts: list[int] = []

    def work(session: Session) -> int:
        attempts.append(1)
        if len(attempts) == 1:  # as if another writer had created it a moment before
            session.execute(text(INSERT), {"name": SECRET_NAME})
        return len(attempts)

    with caplog.at_level(logging.INFO, logger="accord_broker.db"):
        assert database.write(work) == 2

    retried = [r for r in caplog.records if "lost a race" in r.getMessage()]
    assert [r.getMessage().rsplit(": ", 1)[1] for r in retried] == ["unique constraint"]
    assert SECRET_NAME not in caplog.text


def test_a_write_that_keeps_losing_gives_up_after_its_attempts(database: Database) -> None:
    database.write(lambda session: session.execute(text(INSERT), {"name": SECRET_NAME}))
    attempts: list[int] = []

    def work(session: Session) -> None:
        attempts.append(1)
        session.execute(text(INSERT), {"name": SECRET_NAME})

    with pytest.raises(IntegrityError):
        database.write(work, attempts=3)
    assert len(attempts) == 3
