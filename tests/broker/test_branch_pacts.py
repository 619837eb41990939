"""A provider's pacts by consumer branch: the lists ``pact broker get-pacts`` reads."""

from typing import Any

from tests.broker.conftest import RunningBroker, make_pact


def titles(body: dict[str, Any]) -> list[str]:
    return [entry["title"] for entry in body["_links"]["pb:pacts"]]


def get(broker: RunningBroker, path: str) -> dict[str, Any]:
    response = broker.get(path)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def seed(broker: RunningBroker) -> None:
    """Web 1 and 2 on main, Web 3 on feat/x, Mobile 7 on main."""
    for consumer, version, branch in (
        ("Web", "1", "main"),
        ("Web", "2", "main"),
        ("Web", "3", "feat/x"),
        ("Mobile", "7", "main"),
    ):
        pact = make_pact(consumer, "Accounts", f"request from {consumer} {version}")
        assert broker.publish(consumer, version, pact, branch=branch).status_code == 200


def test_provider_lists_give_every_main_branch_version_or_each_consumers_latest(
    broker: RunningBroker,
) -> None:
    seed(broker)
    every = get(broker, "/pacts/provider/Accounts/branch")
    assert titles(every) == [
        "Pact between Mobile (7) and Accounts",
        "Pact between Web (2) and Accounts",
        "Pact between Web (1) and Accounts",
    ]
    latest = get(broker, "/pacts/provider/Accounts/branch/latest")
    assert titles(latest) == [
        "Pact between Mobile (7) and Accounts",
        "Pact between Web (2) and Accounts",
    ]
    assert latest["_links"]["self"]["href"].endswith("/pacts/provider/Accounts/branch/latest")
    on_branch = get(broker, "/pacts/provider/Accounts/branch/feat%2Fx/latest")
    assert titles(on_branch) == ["Pact between Web (3) and Accounts"]
    assert titles(get(broker, "/pacts/provider/Accounts/branch/nothing")) == []


def test_consumer_lists_embed_each_version_and_latest_is_the_pact_itself(
    broker: RunningBroker,
) -> None:
    seed(broker)
    body = get(broker, "/pacts/provider/Accounts/consumer/Web/branch")
    numbers = [p["_embedded"]["consumerVersion"]["number"] for p in body["_embedded"]["pacts"]]
    assert numbers == ["2", "1"]
    assert all("createdAt" in p for p in body["_embedded"]["pacts"])
    assert titles(body) == [
        "Pact between Web (2) and Accounts",
        "Pact between Web (1) and Accounts",
    ]
    feature = get(broker, "/pacts/provider/Accounts/consumer/Web/branch/feat%2Fx")
    assert titles(feature) == ["Pact between Web (3) and Accounts"]

    newest = broker.get("/pacts/provider/Accounts/consumer/Web/branch/latest")
    assert newest.status_code == 200, newest.text
    assert newest.headers["X-Pact-Consumer-Version"] == "2"
    assert newest.json()["interactions"][0]["description"] == "request from Web 2"


def test_unknown_names_are_404s(broker: RunningBroker) -> None:
    seed(broker)
    assert broker.get("/pacts/provider/Nobody/branch").status_code == 404
    assert broker.get("/pacts/provider/Accounts/consumer/Nobody/branch").status_code == 404
    assert broker.get("/pacts/provider/Mobile/consumer/Web/branch/latest").status_code == 404
