"""Webhooks CRUD at the Pact Broker's paths and JSON shape, with validation and redaction."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.webhook_receiver import WEBHOOK_SETTINGS, webhook_body

HOOK = "http://127.0.0.1:9/hook"


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url, **WEBHOOK_SETTINGS, webhook_worker_enabled=False) as running:
        yield running


def _publish_pair(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1.0.0", make_pact("Web", "Accounts")).status_code == 200


def test_a_webhook_for_a_pair_is_created_where_the_cli_posts_it(broker: RunningBroker) -> None:
    _publish_pair(broker)
    body = webhook_body(HOOK, "contract_content_changed", "provider_verification_published")
    body["request"]["headers"]["X-Token"] = "abc"
    body["request"] |= {"username": "hookuser", "password": "hookpass"}

    created = broker.post("/webhooks/provider/Accounts/consumer/Web", body)

    assert created.status_code == 201
    webhook = created.json()
    assert created.headers["Location"] == webhook["_links"]["self"]["href"]
    assert webhook["uuid"] and webhook["description"] == "notify CI"
    assert webhook["consumer"] == {"name": "Web"} and webhook["provider"] == {"name": "Accounts"}
    assert webhook["enabled"] is True
    assert webhook["events"] == [
        {"name": "contract_content_changed"},
        {"name": "provider_verification_published"},
    ]
    assert webhook["request"] == {
        "method": "POST",
        "url": HOOK,
        "headers": {"Content-Type": "application/json", "X-Token": "**********"},
        "body": {"pact": "${pactbroker.pactUrl}"},
        "username": "hookuser",
        "password": "**********",
    }
    links = webhook["_links"]
    assert links["pb:execute"]["href"] == links["self"]["href"] + "/execute"
    assert links["pb:consumer"]["name"] == "Web" and links["pb:provider"]["name"] == "Accounts"
    assert links["pb:webhooks"]["href"] == broker.url + "/webhooks"
    assert broker.get(links["self"]["href"].removeprefix(broker.url)).json() == webhook


def test_creating_a_webhook_for_an_unknown_pacticipant_is_404(broker: RunningBroker) -> None:
    _publish_pair(broker)
    response = broker.post("/webhooks/provider/Nobody/consumer/Web", webhook_body(HOOK))

    assert response.status_code == 404
    assert "Nobody" in response.json()["error"]


def test_a_webhook_without_events_listens_for_content_changes(broker: RunningBroker) -> None:
    body = webhook_body(HOOK)
    del body["events"]

    webhook = broker.post("/webhooks", body).json()

    assert webhook["events"] == [{"name": "contract_content_changed"}]
    assert "consumer" not in webhook and "provider" not in webhook


def test_put_creates_a_webhook_with_the_given_uuid_then_replaces_it(broker: RunningBroker) -> None:
    uuid = "my-own-webhook-uuid-0001"
    created = broker.put(f"/webhooks/{uuid}", webhook_body(HOOK))
    replaced = broker.put(
        f"/webhooks/{uuid}", webhook_body(HOOK + "2", "contract_published", enabled=False)
    )

    assert created.status_code == 201 and created.json()["uuid"] == uuid
    assert replaced.status_code == 200
    assert replaced.json()["request"]["url"] == HOOK + "2"
    assert replaced.json()["enabled"] is False
    assert broker.get(f"/webhooks/{uuid}").json()["events"] == [{"name": "contract_published"}]


def test_a_put_with_a_malformed_uuid_is_refused(broker: RunningBroker) -> None:
    response = broker.put("/webhooks/short", webhook_body(HOOK))

    assert response.status_code == 400
    assert "uuid" in response.json()["errors"]


def test_webhooks_are_listed_and_deleted(broker: RunningBroker) -> None:
    first = broker.post("/webhooks", webhook_body(HOOK, description="first")).json()
    broker.post("/webhooks", webhook_body(HOOK, description="second"))

    listed = broker.get("/webhooks").json()["_links"]
    deleted = broker.delete(f"/webhooks/{first['uuid']}")

    assert [w["name"] for w in listed["pb:webhooks"]] == ["first", "second"]
    assert listed["pb:create"]["href"] == broker.url + "/webhooks"
    assert deleted.status_code == 204
    assert broker.get(f"/webhooks/{first['uuid']}").status_code == 404
    assert len(broker.get("/webhooks").json()["_links"]["pb:webhooks"]) == 1


def test_webhooks_are_listed_per_pair_provider_and_consumer(broker: RunningBroker) -> None:
    _publish_pair(broker)
    broker.post("/webhooks/provider/Accounts/consumer/Web", webhook_body(HOOK, description="pair"))
    broker.post("/webhooks/provider/Accounts", webhook_body(HOOK, description="provider"))
    broker.post("/webhooks", webhook_body(HOOK, description="global"))

    def names(path: str) -> list[str]:
        return [w["name"] for w in broker.get(path).json()["_links"]["pb:webhooks"]]

    assert names("/webhooks/provider/Accounts/consumer/Web") == ["pair"]
    assert names("/pacts/provider/Accounts/consumer/Web/webhooks") == ["pair"]
    assert names("/webhooks/provider/Accounts") == ["pair", "provider"]
    assert names("/webhooks/consumer/Web") == ["pair"]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"url": None}, "request.url", "blank"),
        ({"url": "not a url"}, "request.url", "absolute URL"),
        ({"url": "http://${pactbroker.consumerName}.example/x"}, "request.url", "template"),
        ({"url": "ftp://127.0.0.1/x"}, "request.url", "scheme"),
        ({"url": "http://ci.example.com/x"}, "request.url", "not in the allowed hosts"),
        ({"method": "DELETE"}, "request.method", "must be one of"),
        ({"method": None}, "request.method", "blank"),
    ],
)
def test_invalid_requests_are_refused_by_field(
    broker: RunningBroker, change: dict[str, Any], field: str, fragment: str
) -> None:
    body = webhook_body(HOOK)
    body["request"].update(change)

    response = broker.post("/webhooks", body)

    assert response.status_code == 400
    assert any(fragment in message for message in response.json()["errors"][field])


def test_unknown_event_names_are_refused(broker: RunningBroker) -> None:
    response = broker.post("/webhooks", webhook_body(HOOK, "contract_exploded"))

    assert response.status_code == 400
    assert "events" in response.json()["errors"]


def test_a_consumer_scope_needs_a_name_or_a_label_not_both(broker: RunningBroker) -> None:
    both = broker.post("/webhooks", webhook_body(HOOK, consumer={"name": "Web", "label": "x"}))
    unknown = broker.post("/webhooks", webhook_body(HOOK, consumer={"name": "Nobody"}))
    labelled = broker.post("/webhooks", webhook_body(HOOK, provider={"label": "team-a"}))

    assert both.status_code == 400 and "consumer.label" in both.json()["errors"]
    assert unknown.status_code == 400 and "consumer.name" in unknown.json()["errors"]
    assert labelled.status_code == 201 and labelled.json()["provider"] == {"label": "team-a"}
    assert labelled.json()["_links"]["pb:providers"]["name"] == "team-a"


def test_the_index_advertises_the_webhook_relations(broker: RunningBroker) -> None:
    links = broker.get("/").json()["_links"]

    assert links["pb:webhooks"]["href"] == broker.url + "/webhooks"
    assert links["pb:webhook"]["href"] == broker.url + "/webhooks/{uuid}"
