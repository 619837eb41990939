"""Publishing pacts: content stored once per hash, idempotent re-publication, 409 on change."""

import base64
import json

from accord_broker.db.models import PactPublication, PactVersion
from sqlalchemy import create_engine, func, select

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact, start_broker


def _count(database_url: str, model: type) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(model)).scalar_one())
    finally:
        engine.dispose()


def test_publish_answers_with_the_notices_and_links_the_cli_prints(broker: RunningBroker) -> None:
    response = broker.publish(
        "Web", "1.0.0", make_pact(), branch="main", tags=["dev", "qa"], build_url="http://ci/1"
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/hal+json")
    body = response.json()
    texts = [n["text"] for n in body["notices"]]
    assert "Created Web version 1.0.0 with branch main and tags dev, qa" in texts
    assert "Pact successfully published for Web version 1.0.0 and provider Accounts." in texts
    assert [log["message"] for log in body["logs"]] == texts
    assert body["_embedded"]["pacticipant"]["_links"]["self"]["href"].endswith("/pacticipants/Web")
    version_self = body["_embedded"]["version"]["_links"]["self"]
    assert version_self["name"] == "1.0.0"
    assert version_self["title"] == "Version"
    contract = body["_links"]["pb:contracts"][0]
    assert contract["href"] == broker.url + "/pacts/provider/Accounts/consumer/Web/version/1.0.0"
    assert contract["name"] == "Pact between Web (1.0.0) and Accounts"
    assert [t["name"] for t in body["_links"]["pb:pacticipant-version-tags"]] == ["dev", "qa"]


def test_publish_records_the_version_branch_tags_and_build_url(broker: RunningBroker) -> None:
    broker.publish(
        "Web", "1.0.0", make_pact(), branch="main", tags=["dev"], build_url="http://ci/1"
    )

    version = broker.get("/pacticipants/Web/versions/1.0.0").json()
    assert version["buildUrl"] == "http://ci/1"
    assert [t["name"] for t in version["_embedded"]["tags"]] == ["dev"]
    assert version["_embedded"]["branchVersions"][0]["name"] == "main"
    assert version["_embedded"]["branchVersions"][0]["latest"] is True
    assert broker.get("/pacticipants/Web").json()["mainBranch"] == "main"


def test_republishing_identical_content_is_idempotent(broker: RunningBroker) -> None:
    first = broker.publish("Web", "1.0.0", make_pact())
    again = broker.publish("Web", "1.0.0", make_pact())

    assert first.status_code == again.status_code == 200
    assert any("same content" in n["text"] for n in again.json()["notices"])
    assert _count(broker.database_url, PactVersion) == 1
    assert _count(broker.database_url, PactPublication) == 1


def test_metadata_written_by_another_client_does_not_make_a_new_pact_version(
    broker: RunningBroker,
) -> None:
    """Trap 7: the CLIs rewrite metadata.pactRust on every publish."""
    pip_cli = make_pact(
        metadata={"pactSpecification": {"version": "4.0"}, "pactRust": {"models": "1.3.16"}}
    )
    npm_cli = make_pact(
        metadata={"pactSpecification": {"version": "4.0"}, "pactRust": {"models": "1.3.15"}}
    )

    broker.publish("Web", "1.0.0", pip_cli)
    second = broker.publish("Web", "1.0.0", npm_cli)
    broker.publish("Web", "1.0.1", npm_cli)

    assert second.status_code == 200
    assert _count(broker.database_url, PactVersion) == 1
    shas = {
        broker.get(f"/pacts/provider/Accounts/consumer/Web/version/{v}").json()["_links"][
            "pb:pact-version"
        ]["name"]
        for v in ("1.0.0", "1.0.1")
    }
    assert shas == {content_sha(pip_cli)}


def test_different_content_for_an_existing_version_is_refused_with_409(
    broker: RunningBroker,
) -> None:
    broker.publish("Web", "1.0.0", make_pact("Web", "Accounts", "a request"))

    refused = broker.publish("Web", "1.0.0", make_pact("Web", "Accounts", "another request"))

    assert refused.status_code == 409
    body = refused.json()
    assert (
        "Cannot change the content of the pact for Web version 1.0.0"
        in body["errors"]["contracts"][0]
    )
    assert body["notices"][0]["type"] == "error"
    served = broker.get("/pacts/provider/Accounts/consumer/Web/version/1.0.0").json()
    assert served["interactions"][0]["description"] == "a request"


def test_a_refused_publication_changes_nothing_else(broker: RunningBroker) -> None:
    broker.publish("Web", "1.0.0", make_pact("Web", "Accounts", "a request"))

    broker.publish("Web", "1.0.0", make_pact("Web", "Accounts", "other"), tags=["prod"])

    assert broker.get("/pacticipants/Web/versions/1.0.0").json()["_embedded"]["tags"] == []


def test_the_setting_allows_changing_content_as_a_new_revision(database_url: str) -> None:
    with start_broker(database_url, allow_dangerous_contract_modification=True) as running:
        running.publish("Web", "1.0.0", make_pact("Web", "Accounts", "a request"))
        changed = running.publish("Web", "1.0.0", make_pact("Web", "Accounts", "another request"))
        served = running.get("/pacts/provider/Accounts/consumer/Web/latest").json()

    assert changed.status_code == 200
    assert any(n["type"] == "warning" for n in changed.json()["notices"])
    assert served["interactions"][0]["description"] == "another request"
    assert _count(database_url, PactPublication) == 2


def test_merge_on_conflict_adds_interactions_when_modification_is_allowed(
    database_url: str,
) -> None:
    with start_broker(database_url, allow_dangerous_contract_modification=True) as running:
        running.publish("Web", "1", make_pact("Web", "Accounts", "first"))
        pact = make_pact("Web", "Accounts", "second")
        body = {
            "pacticipantName": "Web",
            "pacticipantVersionNumber": "1",
            "contracts": [
                {
                    "consumerName": "Web",
                    "providerName": "Accounts",
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": base64.b64encode(json.dumps(pact).encode()).decode(),
                    "onConflict": "merge",
                }
            ],
        }
        assert running.post("/contracts/publish", body).status_code == 200
        served = running.get("/pacts/provider/Accounts/consumer/Web/version/1").json()

    assert sorted(i["description"] for i in served["interactions"]) == ["first", "second"]


def test_the_same_content_from_two_versions_shares_one_pact_version(broker: RunningBroker) -> None:
    broker.publish("Web", "1.0.0", make_pact())
    broker.publish("Web", "1.0.1", make_pact())

    assert _count(broker.database_url, PactVersion) == 1
    assert _count(broker.database_url, PactPublication) == 2


def test_the_legacy_put_creates_then_accepts_the_same_content(broker: RunningBroker) -> None:
    path = "/pacts/provider/Accounts/consumer/Web/version/1.0.0"

    created = broker.put(path, make_pact())
    again = broker.put(path, make_pact())
    changed = broker.put(path, make_pact("Web", "Accounts", "different"))

    assert created.status_code == 201
    assert again.status_code == 200
    assert changed.status_code == 409
    assert created.json()["interactions"][0]["_id"]
    assert broker.get("/pacticipants/Accounts").status_code == 200


def test_the_legacy_put_refuses_names_that_differ_from_the_url(broker: RunningBroker) -> None:
    response = broker.put("/pacts/provider/Accounts/consumer/Mobile/version/1", make_pact())

    assert response.status_code == 400
    assert "consumer.name" in response.json()["errors"]


def test_a_pact_for_several_providers_is_published_in_one_request(broker: RunningBroker) -> None:
    response = broker.publish(
        "Web", "1", make_pact("Web", "Accounts"), make_pact("Web", "Transfers")
    )

    assert response.status_code == 200
    assert len(response.json()["_links"]["pb:contracts"]) == 2
    assert broker.get("/pacts/provider/Transfers/consumer/Web/latest").status_code == 200
