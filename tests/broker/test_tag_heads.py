"""``tag_heads`` stays equal to the newest tagged version per name, through every write and delete.

The table is derived data that WIP reads instead of grouping ``tags``. Each test changes tags
and versions the ways clients do (HTTP) or the retention command does, then compares the table
with the same facts computed from ``tags``.
"""

from collections.abc import Iterator

import pytest
from accord_broker.db import Database
from accord_broker.db.migrate import alembic_config
from accord_broker.db.models import Tag, TagHead
from accord_broker.domain.operations.cleanup import KeepSelector, clean
from accord_broker.domain.versions.tags import rebuild_tag_heads
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import publish

Head = tuple[int, str, int, int]


def _stored(database: Database) -> set[Head]:
    with database.read_session() as session:
        rows = session.execute(
            select(TagHead.pacticipant_id, TagHead.name, TagHead.version_id, TagHead.version_order)
        ).all()
    return {(r[0], r[1], r[2], r[3]) for r in rows}


def _truth(database: Database) -> set[Head]:
    newest = aliased(Tag)
    top = (
        select(func.max(newest.version_order))
        .where(newest.pacticipant_id == Tag.pacticipant_id, newest.name == Tag.name)
        .scalar_subquery()
    )
    with database.read_session() as session:
        rows = session.execute(
            select(Tag.pacticipant_id, Tag.name, Tag.version_id, Tag.version_order).where(
                Tag.version_order == top
            )
        ).all()
    return {(r[0], r[1], r[2], r[3]) for r in rows}


def _heads_by_name(database: Database) -> dict[str, str]:
    """tag name → the version number heading it (Web's tags)."""
    with database.read_session() as session:
        from accord_broker.db.models import Version

        rows = session.execute(
            select(TagHead.name, Version.number).join(Version, Version.id == TagHead.version_id)
        ).all()
    return {name: number for name, number in rows}


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url, use_first_tag_as_branch=False) as running:
        yield running


@pytest.fixture
def database(broker: RunningBroker) -> Iterator[Database]:
    db = Database(broker.database_url)
    yield db
    db.dispose()


def _tag(broker: RunningBroker, number: str, tag: str) -> None:
    response = broker.put(f"/pacticipants/Web/versions/{number}/tags/{tag}")
    assert response.status_code in (200, 201), response.text


def _untag(broker: RunningBroker, number: str, tag: str) -> None:
    response = broker.delete(f"/pacticipants/Web/versions/{number}/tags/{tag}")
    assert response.status_code in (200, 204), response.text


def _history(broker: RunningBroker) -> None:
    for number in ("1", "2", "3", "4"):
        publish(broker, "Web", number, "Accounts", f"request {number}", tags=["dev"])
    _tag(broker, "2", "prod")
    _tag(broker, "3", "prod")
    _tag(broker, "1", "qa")


def test_tagging_keeps_the_newest_version_per_name(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)
    _tag(broker, "1", "prod")  # an older version tagged later does not take the head

    assert _stored(database) == _truth(database)
    assert _heads_by_name(database) == {"dev": "4", "prod": "3", "qa": "1"}


def test_untagging_and_deleting_versions_fall_back_to_the_next_newest(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)

    _untag(broker, "3", "prod")
    assert _heads_by_name(database)["prod"] == "2"
    assert _stored(database) == _truth(database)

    deleted = broker.delete("/pacticipants/Web/versions/4")
    assert deleted.status_code in (200, 204), deleted.text
    assert _heads_by_name(database)["dev"] == "3"
    assert _stored(database) == _truth(database)

    _untag(broker, "1", "qa")  # the last version with the tag: the name has no head any more
    assert "qa" not in _heads_by_name(database)
    assert _stored(database) == _truth(database)

    assert broker.delete("/pacticipants/Web").status_code in (200, 204)
    assert _stored(database) == set()


def test_replacing_a_versions_tags_moves_the_heads(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)

    response = broker.put("/pacticipants/Web/versions/4", {"tags": [{"name": "prod"}]})
    assert response.status_code in (200, 201), response.text

    assert _stored(database) == _truth(database)
    assert _heads_by_name(database) == {"dev": "3", "prod": "4", "qa": "1"}


def test_the_retention_command_leaves_the_heads_right(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)

    database.write(lambda s: clean(s, (KeepSelector(latest=True),)))

    assert _stored(database) == _truth(database)
    assert _heads_by_name(database) == {"dev": "4"}


def test_rebuilding_and_migrating_give_the_same_heads(
    broker: RunningBroker, database: Database
) -> None:
    _history(broker)
    kept = _stored(database)

    database.write(rebuild_tag_heads)
    assert _stored(database) == kept

    database.dispose()
    config = alembic_config(broker.database_url)
    command.downgrade(config, "0008_branch_verifications")
    command.upgrade(config, "head")
    assert _stored(database) == kept != set()
