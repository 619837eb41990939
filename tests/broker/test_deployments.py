"""Deployed and released versions: recording, replacing, ending, and the currently-* lists."""

import requests

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import (
    create_environment,
    deploy,
    ensure_version,
    release,
    undeploy,
)


def _currently_deployed(broker: RunningBroker, uuid: str, query: str = "") -> list[str]:
    listed = broker.get(f"/environments/{uuid}/deployed-versions/currently-deployed{query}")
    assert listed.status_code == 200
    return [
        f"{d['_embedded']['pacticipant']['name']}@{d['_embedded']['version']['number']}"
        + (f"/{d['applicationInstance']}" if d["applicationInstance"] else "")
        for d in listed.json()["_embedded"]["deployedVersions"]
    ]


def test_a_deployment_is_recorded_with_the_pact_broker_shape(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    ensure_version(broker, "Accounts", "1")
    deployment = deploy(broker, "Accounts", "1", "production", instance="blue")
    assert deployment["currentlyDeployed"] is True
    assert deployment["applicationInstance"] == "blue"
    assert deployment["target"] == "blue"
    assert deployment["undeployedAt"] is None
    assert deployment["_embedded"]["pacticipant"]["name"] == "Accounts"
    assert deployment["_embedded"]["version"]["number"] == "1"
    assert deployment["_embedded"]["environment"]["name"] == "production"
    assert deployment["_links"]["self"]["href"].endswith(f"/deployed-versions/{deployment['uuid']}")


def test_a_new_deployment_of_the_same_instance_marks_the_previous_undeployed(
    broker: RunningBroker,
) -> None:
    uuid = create_environment(broker, "production", production=True)
    for number in ("1", "2"):
        ensure_version(broker, "Accounts", number)
    first = deploy(broker, "Accounts", "1", "production")
    deploy(broker, "Accounts", "2", "production")
    assert _currently_deployed(broker, uuid) == ["Accounts@2"]
    ended = broker.get(f"/deployed-versions/{first['uuid']}").json()
    assert ended["currentlyDeployed"] is False
    assert ended["undeployedAt"] is not None


def test_deployments_to_different_instances_coexist(broker: RunningBroker) -> None:
    uuid = create_environment(broker, "production", production=True)
    for number in ("1", "2"):
        ensure_version(broker, "Accounts", number)
    deploy(broker, "Accounts", "1", "production", instance="eu")
    deploy(broker, "Accounts", "2", "production", instance="us")
    assert sorted(_currently_deployed(broker, uuid)) == ["Accounts@1/eu", "Accounts@2/us"]
    assert _currently_deployed(broker, uuid, "?pacticipant=Accounts&applicationInstance=eu") == [
        "Accounts@1/eu"
    ]
    assert _currently_deployed(broker, uuid, "?pacticipant=Other") == []


def test_recording_the_same_deployment_twice_returns_the_same_record(
    broker: RunningBroker,
) -> None:
    create_environment(broker, "test")
    ensure_version(broker, "Accounts", "1")
    first = deploy(broker, "Accounts", "1", "test")
    again = deploy(broker, "Accounts", "1", "test")
    assert again["uuid"] == first["uuid"]


def test_an_undeployment_ends_the_deployment_and_cannot_be_reversed(
    broker: RunningBroker,
) -> None:
    uuid = create_environment(broker, "test")
    ensure_version(broker, "Accounts", "1")
    deployment = deploy(broker, "Accounts", "1", "test")
    undeploy(broker, deployment)
    assert _currently_deployed(broker, uuid) == []
    href = f"/deployed-versions/{deployment['uuid']}"
    reverse = broker.patch(href, {"currentlyDeployed": True})
    assert reverse.status_code == 422
    assert "currentlyDeployed" in reverse.json()["errors"]
    assert broker.get(href).json()["currentlyDeployed"] is False


def test_patch_without_merge_patch_content_type_is_415(broker: RunningBroker) -> None:
    create_environment(broker, "test")
    ensure_version(broker, "Accounts", "1")
    deployment = deploy(broker, "Accounts", "1", "test")
    response = requests.patch(
        f"{broker.url}/deployed-versions/{deployment['uuid']}",
        json={"currentlyDeployed": False},
        timeout=30,
    )
    assert response.status_code == 415


def test_deploying_an_unknown_version_or_environment_is_404(broker: RunningBroker) -> None:
    uuid = create_environment(broker, "test")
    ensure_version(broker, "Accounts", "1")
    missing_version = broker.post(
        f"/pacticipants/Accounts/versions/9/deployed-versions/environment/{uuid}", {}
    )
    assert missing_version.status_code == 404
    missing_env = broker.post(
        "/pacticipants/Accounts/versions/1/deployed-versions/environment/nope", {}
    )
    assert missing_env.status_code == 404


def test_releases_accumulate_until_support_ends(broker: RunningBroker) -> None:
    uuid = create_environment(broker, "app-store", production=True)
    for number in ("1", "2"):
        ensure_version(broker, "Mobile", number)
    first = release(broker, "Mobile", "1", "app-store")
    release(broker, "Mobile", "2", "app-store")
    listed = broker.get(f"/environments/{uuid}/released-versions/currently-supported").json()
    versions = [
        r["_embedded"]["version"]["number"] for r in listed["_embedded"]["releasedVersions"]
    ]
    assert sorted(versions) == ["1", "2"]
    ended = broker.patch(f"/released-versions/{first['uuid']}", {"currentlySupported": False})
    assert ended.status_code == 200
    assert ended.json()["currentlySupported"] is False
    assert ended.json()["supportEndedAt"] is not None
    listed = broker.get(f"/environments/{uuid}/released-versions/currently-supported").json()
    assert [r["uuid"] for r in listed["_embedded"]["releasedVersions"]] != [first["uuid"]]
    assert len(listed["_embedded"]["releasedVersions"]) == 1


def test_releasing_again_is_200_and_supports_the_version_again(broker: RunningBroker) -> None:
    uuid = create_environment(broker, "app-store", production=True)
    ensure_version(broker, "Mobile", "1")
    first = release(broker, "Mobile", "1", "app-store")
    broker.patch(f"/released-versions/{first['uuid']}", {"currentlySupported": False})
    href = f"/pacticipants/Mobile/versions/1/released-versions/environment/{uuid}"
    again = broker.post(href, {})
    assert again.status_code == 200
    assert again.json()["uuid"] == first["uuid"]
    assert again.json()["currentlySupported"] is True
