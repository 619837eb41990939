"""Verification results: attached to pact content, numbered, readable, with a provider version."""

from typing import Any

from accord_broker.domain.url_metadata import encode_metadata

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact

PACTS = "/pacts/provider/Accounts/consumer/Web"

RESULT: dict[str, Any] = {
    "providerApplicationVersion": "2.0.1",
    "success": False,
    "buildUrl": "http://ci/prov/7",
    "testResults": [
        {"interactionId": "5318bb", "interactionDescription": "a request", "success": True},
        {
            "interactionId": "87d2b6",
            "success": False,
            "mismatches": [{"attribute": "body", "identifier": "$.id", "description": "no"}],
        },
    ],
    "verifiedBy": {
        "implementation": "Pact-Rust",
        "version": "1.4.7",
        "clientLanguage": {
            "name": "pact-python",
            "testFramework": "pact_ffi",
            "version": "0.5.12.1",
        },
    },
}


def _publish_and_verify(broker: RunningBroker, **overrides: Any) -> tuple[str, dict[str, Any]]:
    pact = make_pact()
    broker.publish("Web", "1", pact)
    link = broker.get(PACTS + "/latest").json()["_links"]["pb:publish-verification-results"]
    response = broker.post(link["href"].removeprefix(broker.url), {**RESULT, **overrides})
    assert response.status_code == 201, response.text
    return content_sha(pact), response.json()


def test_publishing_a_result_stores_it_against_the_pact_version(broker: RunningBroker) -> None:
    sha, body = _publish_and_verify(broker)

    assert body["success"] is False
    assert body["providerApplicationVersion"] == "2.0.1"
    assert body["testResults"] == RESULT["testResults"]
    assert body["verifiedBy"]["client_implementation"] == "pact-python"
    assert (
        body["_links"]["self"]["href"]
        == f"{broker.url}{PACTS}/pact-version/{sha}/verification-results/1"
    )
    stored = broker.get(f"{PACTS}/pact-version/{sha}/verification-results/1").json()
    assert stored["buildUrl"] == "http://ci/prov/7"
    assert stored["testResults"] == RESULT["testResults"]


def test_results_are_numbered_and_the_latest_is_readable(broker: RunningBroker) -> None:
    sha, _ = _publish_and_verify(broker)
    path = f"{PACTS}/pact-version/{sha}/verification-results"

    second = broker.post(path, {**RESULT, "success": True, "providerApplicationVersion": "2.0.2"})

    assert second.json()["_links"]["self"]["href"].endswith("/verification-results/2")
    latest = broker.get(path + "/latest").json()
    assert latest["success"] is True
    assert latest["providerApplicationVersion"] == "2.0.2"


def test_a_result_counts_for_every_consumer_version_with_the_same_content(
    broker: RunningBroker,
) -> None:
    sha, _ = _publish_and_verify(broker)
    broker.publish("Web", "2", make_pact())

    link = broker.get(PACTS + "/version/2").json()["_links"]["pb:latest-verification-results"]

    assert link["href"] == f"{broker.url}{PACTS}/pact-version/{sha}/verification-results/latest"
    assert (
        broker.get(link["href"].removeprefix(broker.url)).json()["providerApplicationVersion"]
        == "2.0.1"
    )


def test_the_provider_version_is_created_with_its_branch_and_tags_kept(
    broker: RunningBroker,
) -> None:
    broker.put("/pacticipants/Accounts/branches/main/versions/2.0.1")
    broker.put("/pacticipants/Accounts/versions/2.0.1/tags/prod")

    _publish_and_verify(broker)

    from accord_broker.db.models import Verification
    from sqlalchemy import create_engine, select

    engine = create_engine(broker.database_url)
    with engine.connect() as conn:
        row = conn.execute(select(Verification)).one()
    engine.dispose()
    assert row.provider_version_tag_names == ["prod"]
    assert row.provider_version_branch_names == ["main"]
    assert broker.get("/pacticipants/Accounts/versions/2.0.1").status_code == 200


def test_a_result_posted_to_a_metadata_link_remembers_wip_and_pending(
    broker: RunningBroker,
) -> None:
    pact = make_pact()
    broker.publish("Web", "1", pact)
    metadata = encode_metadata({"w": True, "p": True})
    href = f"{PACTS}/pact-version/{content_sha(pact)}/metadata/{metadata}"
    publish = broker.get(href).json()["_links"]["pb:publish-verification-results"]["href"]

    body = broker.post(publish.removeprefix(broker.url), RESULT).json()

    assert body["wip"] is True
    assert body["pactPending"] is True


def test_junk_metadata_is_tolerated(broker: RunningBroker) -> None:
    pact = make_pact()
    broker.publish("Web", "1", pact)

    response = broker.post(
        f"{PACTS}/pact-version/{content_sha(pact)}/metadata/!!junk!!/verification-results", RESULT
    )

    assert response.status_code == 201
    assert "wip" not in response.json()


def test_a_result_for_an_unknown_pact_version_is_404(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact())

    response = broker.post(f"{PACTS}/pact-version/0000/verification-results", RESULT)

    assert response.status_code == 404


def test_a_result_without_success_or_version_is_400_naming_both(broker: RunningBroker) -> None:
    pact = make_pact()
    broker.publish("Web", "1", pact)

    response = broker.post(f"{PACTS}/pact-version/{content_sha(pact)}/verification-results", {})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"success", "providerApplicationVersion"}
