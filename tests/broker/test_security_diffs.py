"""Security finding 6 (issue #20): pact diffs are bounded in size and time, and cached.

``GET …/pact-version/{a}/diff/pact-version/{b}`` ran an unbounded text diff on every call: for
two 20,000-interaction pacts one read-only request burned 525 s of CPU. Diffs now walk the
interactions once (canonical JSON), refuse pacts over a size limit (413) and give up past a time
budget (422), each with a JSON reason, and answer again from a cache keyed by content hash.
"""

import json
import time
from typing import Any

import pytest
from accord_broker.domain.pacts import diff
from accord_broker.domain.pacts.diff import DiffLimits, diff_pacts, diff_stored_pacts

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact, start_broker

INTERACTIONS = 2000


def _large_pact(variant: int) -> dict[str, Any]:
    pact = make_pact("Web", "Accounts", *(f"request {n}" for n in range(INTERACTIONS)))
    for index, interaction in enumerate(pact["interactions"]):
        interaction["request"]["path"] = f"/accounts/{index}"
        interaction["response"]["body"]["content"]["balance"] = (index * variant) % 7
    return pact


def _diff_path(older: dict[str, Any], newer: dict[str, Any]) -> str:
    between = "/pacts/provider/Accounts/consumer/Web"
    return f"{between}/pact-version/{content_sha(newer)}/diff/pact-version/{content_sha(older)}"


def _publish_both(broker: RunningBroker, variant: int = 2) -> tuple[dict[str, Any], dict[str, Any]]:
    older, newer = _large_pact(1), _large_pact(variant)
    assert broker.publish("Web", "1", older).status_code == 200
    assert broker.publish("Web", "2", newer).status_code == 200
    return older, newer


def test_two_large_pacts_diff_in_bounded_time(
    broker: RunningBroker,
) -> None:
    older, newer = _publish_both(broker)

    started = time.monotonic()
    first = broker.get(_diff_path(older, newer))
    first_took = time.monotonic() - started
    again = broker.get(_diff_path(older, newer))

    assert first.status_code == 200, first.text[:500]
    assert first_took < 15
    lines = first.text.splitlines()
    changed = sum(1 for n in range(INTERACTIONS) if n % 7 != (2 * n) % 7)
    assert sum(1 for line in lines if line.startswith("+") and '"balance"' in line) == changed
    assert sum(1 for line in lines if line.startswith("-") and '"balance"' in line) == changed
    assert not [line for line in lines if line[:1] in "+-" and '"path"' in line]
    assert again.text == first.text


def test_pacts_over_the_size_limit_get_413_with_a_reason(database_url: str) -> None:
    with start_broker(database_url, diff_max_bytes=100_000) as broker:
        older, newer = _publish_both(broker)

        response = broker.get(_diff_path(older, newer))

    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/json")
    assert "ACCORD_BROKER_DIFF_MAX_BYTES" in response.json()["error"]


def test_a_diff_past_its_time_budget_gets_422_with_a_reason(tmp_path: Any) -> None:
    with start_broker(f"sqlite:///{tmp_path}/b.sqlite", diff_time_budget_seconds=0.0) as broker:
        older, newer = _publish_both(broker, variant=3)  # not the diff another test cached

        response = broker.get(_diff_path(older, newer))

    assert response.status_code == 422
    assert "time budget" in response.json()["error"]


def test_reordered_interactions_are_no_difference() -> None:
    pact = make_pact("Web", "Accounts", "a", "b", "c")
    reordered = {**pact, "interactions": list(reversed(pact["interactions"]))}

    assert diff_pacts(pact, reordered, older_name="1", newer_name="2") == ""


class _Stored:
    def __init__(self, pact: dict[str, Any]) -> None:
        self.sha = content_sha(pact)
        self.content = json.dumps(pact)


def test_diffs_are_cached_by_content_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    older, newer = _Stored(make_pact("Web", "A", "x")), _Stored(make_pact("Web", "A", "y"))
    calls: list[str] = []
    real = diff.diff_pacts

    def counting(*args: Any, **kwargs: Any) -> str:
        calls.append(kwargs["older_name"])
        return real(*args, **kwargs)

    monkeypatch.setattr(diff, "diff_pacts", counting)
    texts = [
        diff_stored_pacts(older, newer, older_name="o", newer_name="n", limits=DiffLimits())
        for _ in range(3)
    ]

    assert len(calls) == 1
    assert texts[0] == texts[1] == texts[2] != ""
