"""A pair's provider and consumer are found in one statement, and a missing one is named in the
order the route asks (issue #20: one round trip fewer on every pair route)."""

import pytest
from accord_broker.db.engine import Database
from accord_broker.db.migrate import migrate
from accord_broker.domain.pacticipants.pacticipants import get_pacticipants
from accord_broker.errors import BrokerNotFoundError
from sqlalchemy import text

from tests.broker.statement_counts import counting


@pytest.fixture
def database(database_url: str) -> Database:
    migrate(database_url)
    db = Database(database_url)
    with db.engine.begin() as connection:
        for name in ("Web", "Accounts"):
            connection.execute(
                text(
                    "INSERT INTO pacticipants (name, display_name, created_at, updated_at)"
                    " VALUES (:name, :name, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"name": name},
            )
    return db


def test_both_sides_of_a_pair_take_one_statement(database: Database) -> None:
    try:
        with counting(database) as statements, database.read_session() as session:
            provider, consumer = get_pacticipants(
                session, ("Accounts", "provider"), ("Web", "consumer")
            )
            same = get_pacticipants(session, ("Web", "consumer"), ("Web", "provider"))
        assert (provider.name, consumer.name) == ("Accounts", "Web")
        assert [p.name for p in same] == ["Web", "Web"]
        assert len(statements) == 2
    finally:
        database.dispose()


def test_the_first_missing_side_is_named_in_the_order_asked(database: Database) -> None:
    try:
        with database.read_session() as session:
            with pytest.raises(BrokerNotFoundError, match="No provider with name 'Nope' found"):
                get_pacticipants(session, ("Nope", "provider"), ("Gone", "consumer"))
            with pytest.raises(BrokerNotFoundError, match="No consumer with name 'Gone' found"):
                get_pacticipants(session, ("Accounts", "provider"), ("Gone", "consumer"))
    finally:
        database.dispose()
