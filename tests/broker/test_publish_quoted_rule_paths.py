"""The broker accepts the V2 rule paths real clients write (quoted names, hyphenated headers,
indexed header values) and still refuses a rule path nobody could read, naming it."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.broker.conftest import RunningBroker, start_broker

QUOTED_RULES = {
    "$.header['se-token']": {"match": "regex", "regex": "^[A-Z0-9]+$"},
    # pact-js 11 (pact_ffi 0.4) writes the header value's index too
    "$.header['se-api-token'][0]": {"match": "type"},
    "$.headers.Content-Type": {"match": "regex", "regex": "^application/json.*"},
    "$.query['page size']": {"match": "regex", "regex": "^[0-9]+$"},
    "$.body['odd.key']": {"match": "type"},
}


def _v2_pact(rules: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": "Search UI"},
        "provider": {"name": "Search API"},
        "interactions": [
            {
                "description": "a search with odd names",
                "request": {
                    "method": "POST",
                    "path": "/search",
                    "query": "page%20size=10",
                    "headers": {
                        "se-token": "ABC123",
                        "se-api-token": "15123-234",
                        "Content-Type": "application/json",
                    },
                    "body": {"odd.key": 1},
                    "matchingRules": rules,
                },
                "response": {"status": 200},
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


@pytest.fixture(scope="module")
def sqlite_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    """One broker for the module: each test publishes under its own consumer version."""
    path: Path = tmp_path_factory.mktemp("quoted") / "broker.sqlite"
    with start_broker(f"sqlite:///{path}") as running:
        yield running


def test_publishing_quoted_v2_rule_paths_is_accepted(sqlite_broker: RunningBroker) -> None:
    answer = sqlite_broker.publish("Search UI", "1.0.0", _v2_pact(QUOTED_RULES))
    assert answer.status_code in (200, 201), answer.text
    stored = sqlite_broker.get("/pacts/provider/Search%20API/consumer/Search%20UI/version/1.0.0")
    assert stored.status_code == 200, stored.text
    [interaction] = stored.json()["interactions"]
    assert interaction["request"]["matchingRules"] == QUOTED_RULES


def test_putting_a_pact_with_quoted_rule_paths_is_accepted(sqlite_broker: RunningBroker) -> None:
    answer = sqlite_broker.put(
        "/pacts/provider/Search%20API/consumer/Search%20UI/version/2.0.0",
        _v2_pact(QUOTED_RULES),
    )
    assert answer.status_code in (200, 201), answer.text


def test_an_unreadable_rule_path_is_still_refused_by_name(sqlite_broker: RunningBroker) -> None:
    broken = {**QUOTED_RULES, "$.query['page size": {"match": "type"}}
    answer = sqlite_broker.publish("Search UI", "3.0.0", _v2_pact(broken))
    assert answer.status_code == 400, answer.text
    assert "page size" in answer.text
