"""Security finding 3 (issue #20): cross-site requests cannot change state.

A cross-site HTML form (or a body-less ``fetch``) sends an empty body as
``application/x-www-form-urlencoded``, ``text/plain`` or with no content type, with the browser's
cached basic-auth credentials and without a CORS preflight. Such a body used to be read as ``{}``
and recorded deployments and releases and executed webhooks. Every ``POST``/``PUT``/``PATCH``
now needs a JSON content type (415 otherwise), and no origin gets CORS permission unless
configured.
"""

from collections.abc import Iterator

import pytest
import requests

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.release_history import create_environment
from tests.broker.webhook_receiver import Receiver, running_receiver

CROSS_SITE_TYPES = [
    {"Content-Type": "application/x-www-form-urlencoded"},
    {"Content-Type": "text/plain"},
    {"Content-Type": "multipart/form-data; boundary=x"},
    {},
]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def _send(broker: RunningBroker, method: str, path: str, headers: dict[str, str]) -> int:
    response = requests.request(method, broker.url + path, data=b"", headers=headers, timeout=30)
    if response.status_code == 415:
        assert response.headers["content-type"].startswith("application/json")
        assert "application/json" in response.json()["error"]
    return response.status_code


def test_empty_cross_site_bodies_change_nothing(database_url: str, receiver: Receiver) -> None:
    with start_broker(
        database_url, webhook_allowed_hosts=["127.0.0.1"], webhook_allowed_schemes=["http"]
    ) as broker:
        broker.publish("Web", "1", make_pact("Web", "Accounts"))
        environment = create_environment(broker, "production")
        hook = broker.post(
            "/webhooks",
            {
                "events": [{"name": "contract_published"}],
                "request": {"method": "POST", "url": receiver.url + "/hook"},
            },
        ).json()["uuid"]
        version = "/pacticipants/Web/versions/1"

        statuses = [
            _send(broker, method, path, headers)
            for headers in CROSS_SITE_TYPES
            for method, path in (
                ("POST", f"{version}/deployed-versions/environment/{environment}"),
                ("POST", f"{version}/released-versions/environment/{environment}"),
                ("POST", f"/webhooks/{hook}/execute"),
                ("PUT", "/pacticipants/Web/versions/1/tags/prod"),
                ("PUT", "/pacticipants/Evil"),
                ("POST", "/environments"),
            )
        ]

        assert set(statuses) == {415}
        deployed = broker.get(f"{version}/deployed-versions/environment/{environment}").json()
        assert deployed["_embedded"]["deployedVersions"] == []
        released = broker.get(f"{version}/released-versions/environment/{environment}").json()
        assert released["_embedded"]["releasedVersions"] == []
        assert broker.get("/pacticipants/Web/versions/1/tags/prod").status_code == 404
        assert broker.get("/pacticipants/Evil").status_code == 404
        assert receiver.count() == 0


def test_json_requests_still_change_state(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts"))

    tagged = requests.put(
        broker.url + "/pacticipants/Web/versions/1/tags/prod",
        data=b"",
        headers={"Content-Type": "application/json; charset=utf-8"},
        timeout=30,
    )
    hal = broker.post("/environments", {"name": "test", "production": False})

    assert tagged.status_code in (200, 201)
    assert hal.status_code == 201


def test_delete_needs_no_content_type_but_refuses_a_form_one(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts"))
    broker.put("/pacticipants/Web/versions/1/tags/prod")
    tag = "/pacticipants/Web/versions/1/tags/prod"

    as_form = _send(broker, "DELETE", tag, {"Content-Type": "text/plain"})
    bare = requests.delete(broker.url + tag, timeout=30)

    assert as_form == 415
    assert bare.status_code in (200, 204)
    assert broker.get(tag).status_code == 404


def test_no_origin_gets_cors_permission_by_default(broker: RunningBroker) -> None:
    preflight = requests.options(
        broker.url + "/pacticipants/Web",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    read = broker.get("/", headers={"Origin": "https://evil.example"})

    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in read.headers


def test_configured_origins_get_cors_permission_and_others_do_not(database_url: str) -> None:
    with start_broker(database_url, cors_allowed_origins="https://dash.example") as broker:
        allowed = requests.options(
            broker.url + "/pacticipants/Web",
            headers={"Origin": "https://dash.example", "Access-Control-Request-Method": "PUT"},
            timeout=30,
        )
        other = requests.options(
            broker.url + "/pacticipants/Web",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"},
            timeout=30,
        )

    assert allowed.headers["access-control-allow-origin"] == "https://dash.example"
    assert "access-control-allow-origin" not in other.headers
