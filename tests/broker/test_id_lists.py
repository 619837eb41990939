"""A list of ids is bound as one parameter, and selects exactly the rows an ``IN`` list did.

Issue #20: an expanded ``IN`` list is a parameter per id, a statement text per list length
(SQLAlchemy rewrites it on every execution; PostgreSQL plans each length again). ``among`` with
an ``id_list`` binds the whole list as one value. These tests compare it with ``IN`` on both
databases (an empty list, duplicates, ids that do not exist, a long list) and check that lists
of different lengths run the very same statement text with one parameter.
"""

from accord_broker.db import Database
from accord_broker.db.models import Pacticipant
from accord_broker.domain.id_lists import among, id_list
from sqlalchemy import select

from tests.broker.conftest import start_broker
from tests.broker.release_history import publish
from tests.broker.statement_counts import counting

IDS = id_list("ids")
AMONG = select(Pacticipant.name).where(among(Pacticipant.id, IDS)).order_by(Pacticipant.name)


def test_among_selects_what_an_in_list_selects(database_url: str) -> None:
    with start_broker(database_url) as broker:
        for n in range(12):
            publish(broker, f"App{n:02d}", "1", "Accounts")
    database = Database(database_url)
    try:
        with database.read_session() as session:
            every = list(session.scalars(select(Pacticipant.id)))
            wanted = [[], every[:1], every[3:9] + every[3:5], [*every, 10**9], [10**9]]
            for ids in wanted:
                listed = select(Pacticipant.name).where(Pacticipant.id.in_(ids))
                expected = list(session.scalars(listed.order_by(Pacticipant.name)))
                assert list(session.scalars(AMONG, {"ids": ids})) == expected
    finally:
        database.dispose()


def test_lists_of_any_length_run_one_statement_text(database_url: str) -> None:
    with start_broker(database_url):
        pass  # the tables, empty
    database = Database(database_url)
    try:
        with counting(database) as statements, database.read_session() as session:
            for ids in ([1], list(range(1, 300))):
                session.execute(AMONG, {"ids": ids}).all()
    finally:
        database.dispose()

    first, second = statements
    assert first == second
    assert first.count("?") + first.count("%(") == 1
