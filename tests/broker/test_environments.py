"""Environments: created, listed, found by name, replaced and deleted (the Pact Broker shape)."""

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import create_environment, deploy, ensure_version


def test_an_environment_is_created_with_a_server_uuid_and_a_location(
    broker: RunningBroker,
) -> None:
    body = {
        "name": "production",
        "displayName": "Production",
        "production": True,
        "uuid": "ignored",
        "contacts": [{"name": "Team A", "details": {"emailAddress": "a@example.com"}}],
    }
    response = broker.post("/environments", body)
    assert response.status_code == 201
    created = response.json()
    assert created["uuid"] != "ignored"
    assert response.headers["Location"] == created["_links"]["self"]["href"]
    assert created["name"] == "production"
    assert created["displayName"] == "Production"
    assert created["production"] is True
    assert created["contacts"] == body["contacts"]
    assert created["_links"]["pb:currently-deployed-deployed-versions"]["href"].endswith(
        f"/environments/{created['uuid']}/deployed-versions/currently-deployed"
    )
    assert created["_links"]["pb:currently-supported-released-versions"]["href"].endswith(
        f"/environments/{created['uuid']}/released-versions/currently-supported"
    )


def test_a_missing_display_name_is_derived_from_the_name(broker: RunningBroker) -> None:
    created = broker.post("/environments", {"name": "prod-eu", "production": True}).json()
    assert created["displayName"] == "Prod Eu"


def test_the_list_links_each_environment_by_name_for_the_cli(broker: RunningBroker) -> None:
    uuid = create_environment(broker, "test")
    create_environment(broker, "production", production=True)
    listed = broker.get("/environments").json()
    assert [e["name"] for e in listed["_embedded"]["environments"]] == ["production", "test"]
    by_name = {link["name"]: link["href"] for link in listed["_links"]["pb:environments"]}
    assert by_name["test"].endswith(f"/environments/{uuid}")
    only = broker.get("/environments?name=test").json()
    assert [e["uuid"] for e in only["_embedded"]["environments"]] == [uuid]


def test_a_duplicate_or_spaced_name_is_refused_with_the_field(broker: RunningBroker) -> None:
    create_environment(broker, "test")
    duplicate = broker.post("/environments", {"name": "test", "production": False})
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"]["name"] == [
        "name 'test' is already used by an existing environment."
    ]
    spaced = broker.post("/environments", {"name": "my env", "production": False})
    assert spaced.status_code == 400
    assert "name" in spaced.json()["errors"]
    no_production = broker.post("/environments", {"name": "x"})
    assert no_production.status_code == 400
    assert "production" in no_production.json()["errors"]


def test_put_replaces_an_environment_but_never_creates_one(broker: RunningBroker) -> None:
    uuid = create_environment(broker, "test")
    replaced = broker.put(
        f"/environments/{uuid}", {"name": "staging", "displayName": "Stage", "production": False}
    )
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "staging"
    assert broker.get(f"/environments/{uuid}").json()["displayName"] == "Stage"
    missing = broker.put("/environments/nope", {"name": "x", "production": False})
    assert missing.status_code == 404


def test_deleting_an_environment_removes_its_deployments(broker: RunningBroker) -> None:
    uuid = create_environment(broker, "test")
    ensure_version(broker, "Accounts", "1")
    deployment = deploy(broker, "Accounts", "1", "test")
    assert broker.delete(f"/environments/{uuid}").status_code == 204
    assert broker.get(f"/environments/{uuid}").status_code == 404
    gone = broker.get(f"/deployed-versions/{deployment['uuid']}")
    assert gone.status_code == 404
