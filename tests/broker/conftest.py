"""Real brokers for tests: the app served by uvicorn on a free port, on SQLite and PostgreSQL.

``broker`` (one per test, over the parametrised ``database_url``) is what other suites use::

    def test_something(broker):
        requests.get(broker.url + "/")

``start_broker(database_url, **settings)`` starts one with other settings (auth, limits).
"""

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from accord_broker import Settings, create_app

from accord.testing import serve_app


@dataclass(frozen=True)
class RunningBroker:
    """A broker under test: its ``url``, and the credentials it expects (if auth is on)."""

    url: str
    database_url: str
    username: str | None = None
    password: str | None = None
    read_only_username: str | None = None
    read_only_password: str | None = None

    @property
    def auth(self) -> tuple[str, str] | None:
        if self.username is None or self.password is None:
            return None
        return (self.username, self.password)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", self.auth)
        return requests.get(self.url + path, timeout=30, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", self.auth)
        return requests.put(
            self.url + path, json={} if body is None else body, timeout=30, **kwargs
        )

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", self.auth)
        if body is None and "data" not in kwargs:
            # an empty POST still says it is JSON (the broker refuses it otherwise, 415)
            kwargs.setdefault("headers", {"Content-Type": "application/json"})
        return requests.post(self.url + path, json=body, timeout=30, **kwargs)

    def patch(self, path: str, body: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", self.auth)
        headers = {"Content-Type": "application/merge-patch+json"}
        return requests.patch(
            self.url + path, data=json.dumps(body), headers=headers, timeout=30, **kwargs
        )

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", self.auth)
        return requests.delete(self.url + path, timeout=30, **kwargs)

    def publish(
        self,
        consumer: str,
        version: str,
        *pacts: dict[str, Any],
        branch: str | None = None,
        tags: list[str] | None = None,
        build_url: str | None = None,
    ) -> requests.Response:
        """``POST /contracts/publish`` as ``pact broker publish`` sends it."""
        body: dict[str, Any] = {
            "pacticipantName": consumer,
            "pacticipantVersionNumber": version,
            "contracts": [
                {
                    "consumerName": consumer,
                    "providerName": pact["provider"]["name"],
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": base64.b64encode(json.dumps(pact).encode()).decode(),
                }
                for pact in pacts
            ],
        }
        if branch is not None:
            body["branch"] = branch
        if tags is not None:
            body["tags"] = tags
        if build_url is not None:
            body["buildUrl"] = build_url
        return self.post("/contracts/publish", body)


def make_pact(
    consumer: str = "Web",
    provider: str = "Accounts",
    *descriptions: str,
    spec: str = "4.0",
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A small V4 HTTP pact whose interactions are named by ``descriptions``."""
    names = descriptions or ("a request for account 1",)
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": name,
                "pending": False,
                "providerStates": [{"name": "account 1 exists", "params": {"id": 1}}],
                "request": {"method": "GET", "path": "/accounts/1"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": {"id": 1, "name": name},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                },
            }
            for name in names
        ],
        "metadata": metadata
        if metadata is not None
        else {"pactSpecification": {"version": spec}, "pactRust": {"models": "1.3.16"}},
    }


@contextmanager
def start_broker(database_url: str, **settings: Any) -> Iterator[RunningBroker]:
    """Serve a broker over ``database_url`` with ``settings`` until the block ends."""
    config = Settings(database_url=database_url, **settings)
    with serve_app(create_app(config)) as server:
        ro_password = config.basic_auth_read_only_password
        yield RunningBroker(
            url=server.url,
            database_url=database_url,
            username=config.basic_auth_username,
            password=config.basic_auth_password.get_secret_value()
            if config.basic_auth_password
            else None,
            read_only_username=config.basic_auth_read_only_username,
            read_only_password=ro_password.get_secret_value() if ro_password else None,
        )


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    """A fresh broker without authentication, on SQLite and on PostgreSQL."""
    with start_broker(database_url) as running:
        yield running


@pytest.fixture
def pact() -> dict[str, Any]:
    return make_pact()
