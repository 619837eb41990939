"""WIP's cost does not grow with the number of versions that carry the same tag.

Teams on the older tag-based workflow tag every build with its branch name, so one tag name
can carry tens of thousands of versions. WIP needs only the newest version per tag name; this
counts the work SQLite does for the for-verification statement (virtual-machine steps, through
its progress handler: deterministic, unlike a timing) with 5 and with 400 versions per tag.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from accord_broker.db import Database, migrate
from accord_broker.db.models import Pacticipant, Tag, Version
from accord_broker.domain.pacts.contracts import publish_contracts, read_publish_contracts_request
from accord_broker.domain.versions.tags import rebuild_tag_heads
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tests.broker.conftest import make_pact
from tests.broker.sqlite_work import for_verification_steps

TAG_NAMES = ("dev", "test", "release")


def _publish(db: Database, version: str) -> None:
    import base64
    import json

    pact = make_pact("Web", "Accounts", f"request {version}")
    body = {
        "pacticipantName": "Web",
        "pacticipantVersionNumber": version,
        "branch": "main",
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


def _tag_builds(db: Database, builds: int) -> None:
    """``builds`` more versions of Web, each tagged with every name in TAG_NAMES."""

    def work(session: Session) -> None:
        web = session.scalars(select(Pacticipant).where(Pacticipant.name == "Web")).one()
        start = session.scalar(
            select(func.max(Version.order)).where(Version.pacticipant_id == web.id)
        )
        now = datetime.now(UTC) - timedelta(days=1)
        for n in range(1, builds + 1):
            order = (start or 0) + n
            version_id = session.execute(
                insert(Version)
                .values(pacticipant_id=web.id, number=f"build-{n}", order=order, created_at=now)
                .returning(Version.id)
            ).scalar_one()
            for name in TAG_NAMES:
                session.execute(
                    insert(Tag).values(
                        version_id=version_id,
                        pacticipant_id=web.id,
                        name=name,
                        version_order=order,
                        created_at=now,
                    )
                )
        rebuild_tag_heads(session)  # the rows went in around add_tag, as a bulk import does

    db.write(work)


@pytest.fixture
def broker_with_tags(tmp_path: Path) -> Iterator[Callable[[int], Database]]:
    def build(builds: int) -> Database:
        url = f"sqlite:///{tmp_path / f'wip-{builds}.sqlite'}"
        migrate(url)
        db = Database(url)
        _publish(db, "1")
        _tag_builds(db, builds)
        _publish(db, "2")
        made.append(db)
        return db

    made: list[Database] = []
    yield build
    for db in made:
        db.dispose()


def _steps_for_verification(db: Database) -> int:
    body = {
        "consumerVersionSelectors": [{"mainBranch": True}],
        "includeWipPactsSince": "2000-01-01",
        "providerVersionBranch": "main",
    }
    return for_verification_steps(db, "Accounts", body)


def test_wip_work_does_not_grow_with_the_versions_carrying_a_tag(
    broker_with_tags: Callable[[int], Database],
) -> None:
    few = _steps_for_verification(broker_with_tags(5))
    many = _steps_for_verification(broker_with_tags(400))

    assert few > 0
    # 80 times the tagged versions; reading them all would cost ~80 times the steps.
    assert many < 2 * few, (few, many)
