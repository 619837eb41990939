"""The HAL index and the heartbeat: what every client reads first."""

from tests.broker.conftest import RunningBroker

TEMPLATED = {
    "pb:publish-pact": "/pacts/provider/{provider}/consumer/{consumer}/version/"
    "{consumerApplicationVersion}",
    "pb:latest-provider-pacts": "/pacts/provider/{provider}/latest",
    "pb:provider-pacts-for-verification": "/pacts/provider/{provider}/for-verification",
    "pb:pacticipant": "/pacticipants/{pacticipant}",
    "pb:pacticipant-version": "/pacticipants/{pacticipant}/versions/{version}",
    "pb:latest-version": "/pacticipants/{pacticipant}/latest-version",
    "pb:latest-tagged-version": "/pacticipants/{pacticipant}/latest-version/{tag}",
    "pb:pacticipant-branch": "/pacticipants/{pacticipant}/branches/{branch}",
    "pb:pacticipant-version-tag": "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
    "pb:environment": "/environments/{uuid}",
}
PLAIN = {
    "pb:publish-contracts": "/contracts/publish",
    "pb:latest-pact-versions": "/pacts/latest",
    "pb:pacticipants": "/pacticipants",
    "pb:environments": "/environments",
    "pb:webhooks": "/webhooks",
}


def test_index_serves_every_relation_the_official_clients_navigate(broker: RunningBroker) -> None:
    response = broker.get("/", headers={"Accept": "application/hal+json, application/json"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/hal+json")
    links = response.json()["_links"]
    for relation, path in TEMPLATED.items():
        assert links[relation]["href"] == broker.url + path, relation
        assert links[relation]["templated"] is True, relation
    for relation, path in PLAIN.items():
        assert links[relation]["href"] == broker.url + path, relation
        assert links[relation].get("templated", False) is False, relation


def test_index_keeps_the_pact_brokers_quirks(broker: RunningBroker) -> None:
    links = broker.get("/").json()["_links"]

    assert links["pb:tagged-pact-versions"]["templated"] is False
    assert "templated" not in links["pb:metrics"]
    assert links["beta:provider-pacts-for-verification"]["name"] == "beta"
    assert {c["name"] for c in links["curies"]} == {"pb", "beta", "pf"}


def test_links_use_the_configured_public_base_url(database_url: str) -> None:
    from tests.broker.conftest import start_broker

    with start_broker(database_url, public_base_url="https://broker.example/ctx") as running:
        links = running.get("/").json()["_links"]

    assert links["pb:pacticipants"]["href"] == "https://broker.example/ctx/pacticipants"


def test_heartbeat_answers_ok(broker: RunningBroker) -> None:
    response = broker.get("/diagnostic/status/heartbeat")

    assert response.status_code == 200
    assert response.json()["ok"] is True
