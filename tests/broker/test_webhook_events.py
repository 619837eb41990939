"""Which events fire when, as the receiver on 127.0.0.1 sees them."""

from collections.abc import Iterator
from typing import Any

import pytest
from accord_broker.db.models import Label, Pacticipant
from sqlalchemy import create_engine, insert, select

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.release_history import create_environment, deploy, ensure_version, undeploy
from tests.broker.webhook_receiver import (
    WEBHOOK_SETTINGS,
    Receiver,
    running_receiver,
    webhook_body,
)

EVENT_BODY = {"event": "${pactbroker.eventName}", "version": "${pactbroker.consumerVersionNumber}"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url, **WEBHOOK_SETTINGS) as running:
        yield running


def _listen(broker: RunningBroker, receiver: Receiver, *events: str, **scope: Any) -> None:
    body = webhook_body(receiver.url + "/hook", *events, **scope)
    body["request"]["body"] = EVENT_BODY
    assert broker.post("/webhooks", body).status_code == 201


def _events_after(broker: RunningBroker, receiver: Receiver, count: int) -> list[tuple[str, str]]:
    """The (event, consumer version) pairs received, once ``count`` arrived and the queue is
    drained (nothing else arrives)."""
    received = receiver.wait_for(count)
    assert receiver.count() == count
    return sorted((r.json()["event"], r.json()["version"]) for r in received)


def _verify(broker: RunningBroker, version: str, success: bool, **extra: Any) -> dict[str, Any]:
    pact = broker.get("/pacts/provider/Accounts/consumer/Web/latest").json()
    href = pact["_links"]["pb:publish-verification-results"]["href"]
    body = {"success": success, "providerApplicationVersion": version, **extra}
    response = broker.post(href.removeprefix(broker.url), body)
    assert response.status_code == 201
    result: dict[str, Any] = response.json()
    return result


def _label(broker: RunningBroker, pacticipant: str, label: str) -> None:
    engine = create_engine(broker.database_url)
    try:
        with engine.begin() as connection:
            found = connection.execute(
                select(Pacticipant.id).where(Pacticipant.name == pacticipant)
            ).scalar_one()
            connection.execute(insert(Label).values(pacticipant_id=found, name=label))
    finally:
        engine.dispose()


def test_contract_published_fires_on_every_publication(
    broker: RunningBroker, receiver: Receiver
) -> None:
    _listen(broker, receiver, "contract_published")

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))
    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))  # republished, unchanged
    broker.publish("Web", "2", make_pact("Web", "Accounts", "a"))

    assert _events_after(broker, receiver, 3) == [
        ("contract_published", "1"),
        ("contract_published", "1"),
        ("contract_published", "2"),
    ]


def test_contract_content_changed_fires_only_when_the_content_changes(
    broker: RunningBroker, receiver: Receiver
) -> None:
    _listen(broker, receiver, "contract_content_changed")

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))  # first: changed
    broker.publish("Web", "2", make_pact("Web", "Accounts", "a"))  # same content: no event
    broker.publish("Web", "3", make_pact("Web", "Accounts", "a", "b"))  # changed

    assert _events_after(broker, receiver, 2) == [
        ("contract_content_changed", "1"),
        ("contract_content_changed", "3"),
    ]


def test_the_same_content_under_a_new_tag_counts_as_changed(
    broker: RunningBroker, receiver: Receiver
) -> None:
    _listen(broker, receiver, "contract_content_changed")

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"), tags=["main"])
    broker.publish("Web", "2", make_pact("Web", "Accounts", "a"), tags=["main"])  # unchanged
    broker.publish("Web", "3", make_pact("Web", "Accounts", "a"), tags=["feat-x"])  # new tag

    assert _events_after(broker, receiver, 2) == [
        ("contract_content_changed", "1"),
        ("contract_content_changed", "3"),
    ]


def test_verification_events_fire_by_outcome(broker: RunningBroker, receiver: Receiver) -> None:
    _listen(
        broker,
        receiver,
        "provider_verification_published",
        "provider_verification_succeeded",
        "provider_verification_failed",
    )
    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))

    _verify(broker, "p1", True)
    _verify(broker, "p2", False)

    assert _events_after(broker, receiver, 4) == [
        ("provider_verification_failed", "1"),
        ("provider_verification_published", "1"),
        ("provider_verification_published", "1"),
        ("provider_verification_succeeded", "1"),
    ]


def test_contract_requiring_verification_fires_per_provider_version_that_must_verify(
    broker: RunningBroker, receiver: Receiver
) -> None:
    assert broker.patch("/pacticipants/Accounts", {"mainBranch": "main"}).status_code in (200, 201)
    broker.put("/pacticipants/Accounts/branches/main/versions/p1", {})
    body = webhook_body(receiver.url + "/hook", "contract_requiring_verification_published")
    body["request"]["body"] = {
        "version": "${pactbroker.providerVersionNumber}",
        "branch": "${pactbroker.providerVersionBranch}",
        "why": "${pactbroker.providerVersionDescriptions}",
    }
    broker.post("/webhooks", body)

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))
    first = receiver.wait_for(1)[0].json()
    _verify(broker, "p1", True)
    broker.publish("Web", "2", make_pact("Web", "Accounts", "a"))  # p1 verified this content

    assert first == {"version": "p1", "branch": "main", "why": "latest from main branch"}
    broker.publish("Web", "3", make_pact("Web", "Accounts", "a", "b"))  # new content: p1 again
    assert receiver.wait_for(2)[1].json()["version"] == "p1"
    assert receiver.count() == 2


def test_webhooks_fire_only_for_their_consumer_and_provider(
    broker: RunningBroker, receiver: Receiver
) -> None:
    broker.publish("Web", "0", make_pact("Web", "Accounts", "a"))
    _listen(broker, receiver, "contract_published", consumer={"name": "Web"})
    _listen(broker, receiver, "contract_published", provider={"label": "team-a"})

    broker.publish("Mobile", "1", make_pact("Mobile", "Accounts", "a"))  # neither
    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))  # the consumer-scoped one
    _label(broker, "Accounts", "team-a")  # no labels API yet: written as the broker would
    broker.publish("Mobile", "2", make_pact("Mobile", "Accounts", "a"))  # the labelled one

    assert _events_after(broker, receiver, 2) == [
        ("contract_published", "1"),
        ("contract_published", "2"),
    ]


def test_disabled_webhooks_do_not_fire(broker: RunningBroker, receiver: Receiver) -> None:
    _listen(broker, receiver, "contract_published", enabled=False)
    _listen(broker, receiver, "contract_content_changed")

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))

    assert _events_after(broker, receiver, 1) == [("contract_content_changed", "1")]


DEPLOYED = "${pactbroker.currentlyDeployedProviderVersionNumber}"


def _listen_for_deployed(broker: RunningBroker, receiver: Receiver, *events: str) -> str:
    """A webhook asking which provider version is deployed; its uuid."""
    body = webhook_body(receiver.url + "/deployed", *events or ("contract_published",))
    body["request"]["body"] = {
        "deployed": DEPLOYED,
        "version": "${pactbroker.providerVersionNumber}",
    }
    response = broker.post("/webhooks", body)
    assert response.status_code == 201
    uuid: str = response.json()["uuid"]
    return uuid


def _deliveries_of(broker: RunningBroker, consumer_version: str) -> list[str]:
    """The webhook (last path segment of ``pb:webhook``) of each delivery the publication of
    Web's ``consumer_version`` queued: read from the broker, so nothing is left to timing."""
    path = f"/pacts/provider/Accounts/consumer/Web/version/{consumer_version}/triggered-webhooks"
    found = broker.get(path).json()["_embedded"]["triggeredWebhooks"]
    return sorted(t["_links"]["pb:webhook"]["href"].rsplit("/", 1)[1] for t in found)


def test_a_provider_deployed_in_one_environment_is_the_currently_deployed_version(
    broker: RunningBroker, receiver: Receiver
) -> None:
    create_environment(broker, "production")
    for number in ("p0", "p1"):
        ensure_version(broker, "Accounts", number)
        deploy(broker, "Accounts", number, "production")  # p1 replaces p0 there
    hook = webhook_body(receiver.url + "/deployed?v=" + DEPLOYED, "contract_published")
    hook["request"]["headers"] = {"X-Deployed": DEPLOYED}
    del hook["request"]["body"]
    assert broker.post("/webhooks", hook).status_code == 201

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))

    received = receiver.wait_for(1)
    assert received[0].query == {"v": ["p1"]}
    assert received[0].headers["X-Deployed"] == "p1"
    assert len(_deliveries_of(broker, "1")) == 1


def test_a_provider_deployed_in_two_environments_gets_one_delivery_per_deployed_version(
    broker: RunningBroker, receiver: Receiver
) -> None:
    for environment in ("test", "staging", "production"):
        create_environment(broker, environment)
    for number, environment in (("p1", "test"), ("p2", "staging"), ("p2", "production")):
        ensure_version(broker, "Accounts", number)
        deploy(broker, "Accounts", number, environment)
    uuid = _listen_for_deployed(broker, receiver)

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))

    received = receiver.wait_for(2)
    assert sorted(r.json()["deployed"] for r in received) == ["p1", "p2"]  # p2 only once
    assert _deliveries_of(broker, "1") == [uuid, uuid]
    assert receiver.count() == 2


def test_a_webhook_asking_for_the_deployed_version_is_not_sent_when_none_is_deployed(
    broker: RunningBroker, receiver: Receiver
) -> None:
    create_environment(broker, "production")
    ensure_version(broker, "Accounts", "p1")
    undeploy(broker, deploy(broker, "Accounts", "p1", "production"))
    _listen_for_deployed(broker, receiver)
    _listen(broker, receiver, "contract_published")  # does not ask: sent as usual

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))

    control = receiver.wait_for(1)[0]
    assert control.json() == {"event": "contract_published", "version": "1"}
    assert len(_deliveries_of(broker, "1")) == 1
    assert receiver.count() == 1


def test_contract_requiring_verification_multiplies_deployed_and_required_versions(
    broker: RunningBroker, receiver: Receiver
) -> None:
    assert broker.patch("/pacticipants/Accounts", {"mainBranch": "main"}).status_code in (200, 201)
    broker.put("/pacticipants/Accounts/branches/main/versions/p2", {})
    create_environment(broker, "production")
    ensure_version(broker, "Accounts", "p1")
    deploy(broker, "Accounts", "p1", "production")
    _listen_for_deployed(broker, receiver, "contract_requiring_verification_published")

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))

    received = receiver.wait_for(2)
    assert sorted((r.json()["deployed"], r.json()["version"]) for r in received) == [
        ("p1", "p1"),  # the deployed version must verify, and is the deployed one
        ("p1", "p2"),  # the main-branch head must verify; p1 is still what is deployed
    ]
    assert len(_deliveries_of(broker, "1")) == 2


def test_a_publication_without_a_branch_sends_an_empty_consumer_version_branch(
    broker: RunningBroker, receiver: Receiver
) -> None:
    """The Pact Broker's ``consumerVersionBranch`` for ``/contracts/publish`` is the body's
    branch, ``""`` when the body has none, even if the version got a branch earlier; a pact
    published with ``PUT`` has no body branch, and uses the version's branch."""
    body = webhook_body(receiver.url + "/hook", "contract_published")
    body["request"]["body"] = {"branch": "${pactbroker.consumerVersionBranch}"}
    assert broker.post("/webhooks", body).status_code == 201

    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"), branch="feat/x")
    broker.publish("Web", "1", make_pact("Web", "Accounts", "a"))
    put = broker.put(
        "/pacts/provider/Accounts/consumer/Web/version/1", make_pact("Web", "Accounts", "a")
    )
    assert put.status_code in (200, 201), put.text

    received = receiver.wait_for(3)
    assert sorted(r.json()["branch"] for r in received) == ["", "feat/x", "feat/x"]
