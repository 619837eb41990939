"""``/pacts/provider/{p}/provider-states``: the states a provider's pacts use, as the Pact Broker
lists them for ``pact broker provider-states list``."""

from typing import Any

from tests.broker.conftest import RunningBroker, make_pact
from tests.broker.release_history import create_environment, deploy, release


def states_pact(consumer: str, *states: list[dict[str, Any]]) -> dict[str, Any]:
    """A pact whose interaction ``i`` is given ``states[i]``."""
    pact = make_pact(consumer, "Accounts", *(f"request {i}" for i in range(len(states))))
    for interaction, given in zip(pact["interactions"], states, strict=True):
        interaction["providerStates"] = given
    return pact


def published(
    broker: RunningBroker, consumer: str, version: str, branch: str, *states: Any
) -> None:
    response = broker.publish(consumer, version, states_pact(consumer, *states), branch=branch)
    assert response.status_code == 200, response.text


def provider_states(broker: RunningBroker, suffix: str = "") -> list[dict[str, Any]]:
    response = broker.get(f"/pacts/provider/Accounts/provider-states{suffix}")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/hal+json")
    states: list[dict[str, Any]] = response.json()["providerStates"]
    return states


def test_main_branch_states_are_merged_by_name_and_params_and_sorted_by_name(
    broker: RunningBroker,
) -> None:
    exists = {"name": "account exists", "params": {"id": 1}}
    published(broker, "Web", "1", "main", [{"name": "old state"}])
    published(broker, "Web", "2", "main", [exists], [{"name": "no accounts"}])
    published(broker, "Mobile", "7", "main", [exists, {"name": "account exists"}])
    published(broker, "Mobile", "8", "feat/x", [{"name": "locked account"}])

    assert provider_states(broker) == [
        {"name": "account exists", "params": {"id": 1}, "consumers": ["Mobile", "Web"]},
        {"name": "account exists", "consumers": ["Mobile"]},
        {"name": "no accounts", "consumers": ["Web"]},
    ]


def test_a_branch_or_an_environment_picks_other_pacts(broker: RunningBroker) -> None:
    published(broker, "Web", "1", "main", [{"name": "deployed state"}])
    published(broker, "Web", "2", "main", [{"name": "newest main state"}])
    published(broker, "Mobile", "8", "feat/x", [{"name": "locked account"}])
    published(broker, "Mobile", "9", "main", [{"name": "released state"}])
    create_environment(broker, "production")
    deploy(broker, "Web", "1", "production")
    release(broker, "Mobile", "9", "production")

    assert provider_states(broker, "/branch/feat%2Fx") == [
        {"name": "locked account", "consumers": ["Mobile"]}
    ]
    assert [s["name"] for s in provider_states(broker, "/environment/production")] == [
        "deployed state",
        "released state",
    ]
    assert provider_states(broker, "/environment/nowhere") == []


def test_an_unknown_provider_is_a_404(broker: RunningBroker) -> None:
    response = broker.get("/pacts/provider/Nobody/provider-states")
    assert response.status_code == 404
    assert "Nobody" in response.text
