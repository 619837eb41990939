"""Concurrent publishers lose nothing and duplicate nothing (SQLite and PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor

from accord_broker.db.models import (
    LatestPactPublication,
    PactPublication,
    PactVersion,
    Tag,
    Version,
)
from sqlalchemy import create_engine, func, select

from tests.broker.conftest import RunningBroker, make_pact

PUBLISHERS = 24


def _counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return {
                model.__tablename__: int(
                    conn.execute(select(func.count()).select_from(model)).scalar_one()
                )
                for model in (Version, PactVersion, PactPublication, LatestPactPublication, Tag)
            }
    finally:
        engine.dispose()


def test_concurrent_publications_of_same_and_different_versions(broker: RunningBroker) -> None:
    # Half the publishers race on version "shared" with the same content; the others publish
    # their own versions, two of which share content with each other.
    def publish(i: int) -> int:
        if i % 2 == 0:
            response = broker.publish(
                "Web", "shared", make_pact("Web", "Accounts", "same"), tags=["t"]
            )
        else:
            content = make_pact("Web", "Accounts", f"own {i % 5}")
            response = broker.publish("Web", f"v{i}", content, branch="main", tags=["t"])
        return response.status_code

    with ThreadPoolExecutor(max_workers=PUBLISHERS) as pool:
        statuses = list(pool.map(publish, range(PUBLISHERS)))

    assert statuses == [200] * PUBLISHERS
    own = PUBLISHERS // 2
    distinct_own_contents = len({i % 5 for i in range(1, PUBLISHERS, 2)})
    assert _counts(broker.database_url) == {
        "versions": own + 1,
        "pact_versions": distinct_own_contents + 1,
        "pact_publications": own + 1,
        "latest_pact_publications": own + 1,
        "tags": own + 1,
    }
    orders = [
        v["number"]
        for v in broker.get("/pacticipants/Web/versions").json()["_embedded"]["versions"]
    ]
    assert len(orders) == len(set(orders)) == own + 1


def test_concurrent_conflicting_content_for_one_version_keeps_exactly_one(
    broker: RunningBroker,
) -> None:
    def publish(i: int) -> int:
        return broker.publish("Web", "1", make_pact("Web", "Accounts", f"content {i}")).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(publish, range(20)))

    assert sorted(statuses) == [200] + [409] * 19
    assert _counts(broker.database_url)["pact_publications"] == 1


def test_concurrent_verification_results_are_all_kept_with_distinct_numbers(
    broker: RunningBroker,
) -> None:
    from accord.pact import content_sha

    pact = make_pact()
    broker.publish("Web", "1", pact)
    sha = content_sha(pact)
    path = f"/pacts/provider/Accounts/consumer/Web/pact-version/{sha}/verification-results"

    def verify(i: int) -> str:
        body = {"success": True, "providerApplicationVersion": f"p{i % 3}"}
        response = broker.post(path, body)
        assert response.status_code == 201, response.text
        return str(response.json()["_links"]["self"]["href"].rsplit("/", 1)[1])

    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(verify, range(20)))

    assert sorted(int(n) for n in numbers) == list(range(1, 21))
    versions = broker.get("/pacticipants/Accounts/versions").json()["_embedded"]["versions"]
    assert sorted(v["number"] for v in versions) == ["p0", "p1", "p2"]
