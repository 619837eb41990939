"""Bad input is a 4xx with a JSON body saying what and where; never a 5xx, 408 or 429 (trap 11)."""

import base64
import json

import pytest
import requests

from tests.broker.conftest import RunningBroker, make_pact, start_broker


def _contract(content: str, **overrides: str) -> dict[str, object]:
    return {
        "pacticipantName": "Web",
        "pacticipantVersionNumber": "1",
        "contracts": [
            {
                "consumerName": "Web",
                "providerName": "Accounts",
                "specification": "pact",
                "contentType": "application/json",
                "content": content,
                **overrides,
            }
        ],
    }


def _b64(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return base64.b64encode(text.encode()).decode()


def test_malformed_json_says_where_parsing_failed(broker: RunningBroker) -> None:
    response = requests.post(
        broker.url + "/contracts/publish",
        data='{"pacticipantName": "Web",\n "oops"}',
        headers={"Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert "line 2" in response.json()["errors"]["body"][0]


def test_a_missing_version_number_is_reported_by_field(broker: RunningBroker) -> None:
    response = broker.post("/contracts/publish", {"pacticipantName": "Web", "contracts": []})

    assert response.status_code == 400
    assert response.json()["errors"]["pacticipantVersionNumber"] == ["is missing"]


def test_content_that_is_not_base64_is_refused(broker: RunningBroker) -> None:
    response = broker.post("/contracts/publish", _contract("not base64!!"))

    assert response.status_code == 400
    assert "base64" in response.json()["errors"]["contracts"][0]


def test_content_that_is_not_json_says_which_contract(broker: RunningBroker) -> None:
    response = broker.post("/contracts/publish", _contract(_b64("{nope")))

    assert response.status_code == 400
    assert "contracts[0].content" in response.json()["errors"]


def test_json_that_is_not_a_pact_is_refused_with_the_json_path(broker: RunningBroker) -> None:
    response = broker.post("/contracts/publish", _contract(_b64({"consumer": {"name": "Web"}})))

    assert response.status_code == 400
    message = response.json()["errors"]["contracts[0].content"][0]
    assert "provider.name" in message


def test_names_in_the_content_must_match_the_contract(broker: RunningBroker) -> None:
    response = broker.post("/contracts/publish", _contract(_b64(make_pact("Web", "Other"))))

    assert response.status_code == 400
    assert "does not match providerName" in response.json()["errors"]["contracts"][0]


def test_a_non_pact_specification_is_refused(broker: RunningBroker) -> None:
    response = broker.post("/contracts/publish", _contract(_b64(make_pact()), specification="oas"))

    assert response.status_code == 400
    assert "specification" in response.json()["errors"]["contracts"][0]


def test_a_body_that_is_not_an_object_is_refused(broker: RunningBroker) -> None:
    response = broker.post("/contracts/publish", [1, 2])

    assert response.status_code == 400
    assert "JSON object" in response.json()["error"]


def test_a_non_json_content_type_is_415(broker: RunningBroker) -> None:
    response = requests.post(
        broker.url + "/pacticipants",
        data="name=x",
        headers={"Content-Type": "text/plain"},
        timeout=10,
    )

    assert response.status_code == 415
    assert response.json()["errors"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_oversized_body_is_413_with_json(database_url: str, chunked: bool) -> None:
    with start_broker(database_url, max_body_bytes=2_000) as running:
        payload = json.dumps(
            _contract(_b64(make_pact("Web", "Accounts", *["x" * 50] * 40)))
        ).encode()
        data = (
            iter([payload[i : i + 500] for i in range(0, len(payload), 500)])
            if chunked
            else payload
        )
        response = requests.post(
            running.url + "/contracts/publish",
            data=data,
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        assert running.get("/pacticipants/Web").status_code == 404

    assert response.status_code == 413
    assert "ACCORD_BROKER_MAX_BODY_BYTES" in response.json()["error"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/pacticipants/Nobody/versions/1"),
        ("GET", "/pacts/provider/Nobody/consumer/Web/latest"),
        ("GET", "/pacts/provider/Nobody/latest"),
        ("GET", "/pacts/provider/A/consumer/B/pact-version/abc"),
        ("POST", "/pacts/provider/A/consumer/B/pact-version/abc/verification-results"),
        ("GET", "/no/such/resource"),
        ("DELETE", "/"),
    ],
)
def test_unknown_things_are_4xx_json_never_retried_statuses(
    broker: RunningBroker, method: str, path: str
) -> None:
    response = requests.request(method, broker.url + path, json={}, timeout=10)

    assert 400 <= response.status_code < 500
    assert response.status_code not in {408, 429}
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"]


def test_a_body_that_is_not_utf8_is_refused(broker: RunningBroker) -> None:
    response = requests.post(
        broker.url + "/pacticipants",
        data=b'{"name": "\xff"}',
        headers={"Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == 400
    assert "UTF-8" in response.json()["error"]


def test_absurdly_nested_json_is_a_400_not_a_crash(broker: RunningBroker) -> None:
    deep = "[" * 100_000 + "]" * 100_000

    body = requests.post(
        broker.url + "/pacticipants",
        data=deep,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    content = broker.post("/contracts/publish", _contract(_b64(deep)))

    assert body.status_code == 400
    assert content.status_code == 400
    assert "nested too deeply" in content.json()["errors"]["contracts[0].content"][0]
