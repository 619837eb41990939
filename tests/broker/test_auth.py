"""Basic auth: anonymous 401 (but the heartbeat), read-only 403 on writes, optional public read."""

from collections.abc import Iterator

import pytest
import requests

from tests.broker.conftest import RunningBroker, make_pact, start_broker

CREDENTIALS = {
    "basic_auth_username": "writer",
    "basic_auth_password": "w-secret",
    "basic_auth_read_only_username": "reader",
    "basic_auth_read_only_password": "r-secret",
}


@pytest.fixture
def secured(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url, **CREDENTIALS) as running:
        yield running


def test_anonymous_requests_get_401_with_a_basic_challenge(secured: RunningBroker) -> None:
    response = requests.get(secured.url + "/", timeout=10)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic ")
    assert response.json()["errors"]


def test_the_heartbeat_is_always_public(secured: RunningBroker) -> None:
    assert requests.get(secured.url + "/diagnostic/status/heartbeat", timeout=10).status_code == 200


def test_wrong_credentials_are_401(secured: RunningBroker) -> None:
    response = requests.get(secured.url + "/", auth=("writer", "nope"), timeout=10)

    assert response.status_code == 401


def test_the_read_write_user_can_publish(secured: RunningBroker) -> None:
    assert secured.publish("Web", "1", make_pact()).status_code == 200
    assert secured.get("/pacts/provider/Accounts/consumer/Web/latest").status_code == 200


def test_the_read_only_user_reads_but_gets_403_on_writes(secured: RunningBroker) -> None:
    secured.publish("Web", "1", make_pact())
    reader = ("reader", "r-secret")

    assert secured.get("/pacts/provider/Accounts/latest", auth=reader).status_code == 200
    refused = secured.put("/pacticipants/Web/versions/2/tags/prod", auth=reader)
    assert refused.status_code == 403
    assert refused.json()["errors"]
    assert secured.get("/pacticipants/Web/versions/2", auth=reader).status_code == 404


def test_the_read_only_user_may_ask_for_pacts_to_verify(secured: RunningBroker) -> None:
    response = secured.post(
        "/pacts/provider/Accounts/for-verification",
        {"consumerVersionSelectors": []},
        auth=("reader", "r-secret"),
    )

    assert response.status_code not in {401, 403}


def test_public_read_lets_anonymous_clients_read_but_not_write(database_url: str) -> None:
    with start_broker(database_url, allow_public_read=True, **CREDENTIALS) as running:
        read = requests.get(running.url + "/pacticipants", timeout=10)
        write = requests.post(running.url + "/pacticipants", json={"name": "X"}, timeout=10)

    assert read.status_code == 200
    assert write.status_code == 401
