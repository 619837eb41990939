"""Provider contract comparisons left to the background worker, on SQLite and PostgreSQL.

A publication compares what fits in its budget and queues the rest: until the worker records
a pair it is unverified, so can-i-deploy answers "unknown" (``deployable: null``), the answer
says how many comparisons are pending, and the contract's resource counts them. The queue
survives a restart, each pair is recorded exactly once whoever works on it (two processes of
``--workers 2``, or a worker whose lease expired), and a killed worker's claims are taken again.
"""

import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from accord_broker.db import Database, migrate
from accord_broker.db.models import Verification
from accord_broker.db.provider_contract_models import PendingComparison
from accord_broker.domain.provider_contracts.pending import (
    claim_pending,
    compute_claimed,
    finish_claimed,
)
from accord_broker.domain.provider_contracts.results import is_comparison
from accord_broker.domain.provider_contracts.worker import ComparisonWorker, ComparisonWorkerConfig
from sqlalchemy import func, select

from accord.testing import free_port, start_process
from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.test_provider_contracts import OPENAPI, PUBLISH, _body

ALL_IN_BACKGROUND: dict[str, Any] = {
    "provider_contract_comparisons_in_request": 0,
    "provider_contract_comparison_budget_ms": 0,
    "webhook_poll_interval_seconds": 0.05,
}
"""Settings under which a publication compares nothing itself: every pair goes to the worker."""


def _publish_consumers(broker: RunningBroker, count: int) -> None:
    for n in range(count):
        response = broker.publish(f"C{n}", "1", make_pact(f"C{n}", "Accounts", f"call {n}"))
        assert response.status_code == 200, response.text


def _contract(broker: RunningBroker, version: str = "2") -> dict[str, Any]:
    found: dict[str, Any] = broker.get(
        f"/provider-contracts/provider/Accounts/version/{version}"
    ).json()
    return found


def _wait_until_recorded(broker: RunningBroker, count: int, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        contract = _contract(broker)
        if contract["pendingComparisons"] == 0 and len(contract["comparisons"]) == count:
            return contract
        assert time.monotonic() < deadline, contract["pendingComparisons"]
        time.sleep(0.05)


def _can_i_deploy(broker: RunningBroker, consumer: str) -> dict[str, Any]:
    summary: dict[str, Any] = broker.get(
        f"/matrix?q[][pacticipant]={consumer}&q[][version]=1&q[][pacticipant]=Accounts"
        "&q[][version]=2&latestby=cvpv"
    ).json()["summary"]
    return summary


def _comparison_results(database_url: str) -> list[tuple[int, int]]:
    """(pact version id, provider version id) of every comparison result recorded."""
    database = Database(database_url)
    try:
        with database.read_session() as session:
            rows = session.execute(
                select(
                    Verification.pact_version_id,
                    Verification.provider_version_id,
                    Verification.verified_by,
                )
            ).all()
    finally:
        database.dispose()
    return sorted((int(p), int(v)) for p, v, by in rows if is_comparison(by))


def test_queued_pairs_are_unknown_until_a_worker_records_them_even_after_a_restart(
    database_url: str,
) -> None:
    with start_broker(database_url, webhook_worker_enabled=False, **ALL_IN_BACKGROUND) as broker:
        _publish_consumers(broker, 3)
        published = broker.post(PUBLISH, _body(OPENAPI)).json()

        texts = [n["text"] for n in published["notices"]]
        assert any(t.strip().startswith("3 more consumer pact(s)") for t in texts), texts
        assert any("--retry-while-unknown" in t for t in texts)
        assert _contract(broker)["pendingComparisons"] == 3
        summary = _can_i_deploy(broker, "C0")
        assert summary["deployable"] is None  # unknown, not "no": the CLI's retry waits
        assert summary["unknown"] == 1

    with start_broker(database_url, **ALL_IN_BACKGROUND) as restarted:
        contract = _wait_until_recorded(restarted, 3)
        assert {c["consumer"] for c in contract["comparisons"]} == {"C0", "C1", "C2"}
        assert all(c["compatible"] for c in contract["comparisons"])
        assert _can_i_deploy(restarted, "C0")["deployable"] is True
    assert len(_comparison_results(database_url)) == 3


def test_a_small_broker_gets_every_verdict_in_the_answer(database_url: str) -> None:
    with start_broker(database_url, webhook_worker_enabled=False) as broker:
        _publish_consumers(broker, 3)
        published = broker.post(PUBLISH, _body(OPENAPI)).json()

        assert not any("background" in n["text"] for n in published["notices"])
        assert _contract(broker)["pendingComparisons"] == 0
        assert len(_contract(broker)["comparisons"]) == 3
        assert _can_i_deploy(broker, "C2")["deployable"] is True


def test_a_republished_document_replaces_the_queued_pairs(database_url: str) -> None:
    with start_broker(database_url, webhook_worker_enabled=False, **ALL_IN_BACKGROUND) as broker:
        _publish_consumers(broker, 2)
        assert broker.post(PUBLISH, _body(OPENAPI)).status_code == 200
        renamed = OPENAPI.replace("name]", "title]").replace("name: {", "title: {")
        assert broker.post(PUBLISH, _body(renamed)).status_code == 200
        assert _contract(broker)["pendingComparisons"] == 2

    with start_broker(database_url, **ALL_IN_BACKGROUND) as restarted:
        contract = _wait_until_recorded(restarted, 2)
        assert not any(c["compatible"] for c in contract["comparisons"])
        assert _can_i_deploy(restarted, "C1")["deployable"] is False


def test_a_claim_whose_lease_expired_is_recorded_once_by_the_worker_that_took_it_over(
    database_url: str,
) -> None:
    with start_broker(database_url, webhook_worker_enabled=False, **ALL_IN_BACKGROUND) as broker:
        _publish_consumers(broker, 4)
        assert broker.post(PUBLISH, _body(OPENAPI)).status_code == 200

    database = Database(database_url)
    try:
        # A worker claims everything, then stalls (or dies) past its lease.
        stalled = claim_pending(database, "stalled", limit=10, lease_seconds=0.3)
        assert len(stalled) == 4
        alive = ComparisonWorker(database, ComparisonWorkerConfig(lease_seconds=30))
        assert alive.run_once() == 0  # the claims are still leased
        time.sleep(0.4)
        assert alive.run_once() == 4  # expired: taken over and recorded
        late = finish_claimed(database, "stalled", stalled, compute_claimed(database, stalled))
        assert (late.lost, late.recorded) == (4, 0)  # the stalled worker records nothing
        with database.read_session() as session:
            left = session.scalar(select(func.count()).select_from(PendingComparison))
        assert left == 0
    finally:
        database.dispose()
    results = _comparison_results(database_url)
    assert len(results) == 4 and len(set(results)) == 4


@pytest.fixture
def two_worker_broker(database_url: str) -> Iterator[RunningBroker]:
    """``python -m accord_broker --workers 2`` with every comparison left to the workers."""
    migrate(database_url)
    port = free_port()
    env = {
        "ACCORD_BROKER_PROVIDER_CONTRACT_COMPARISONS_IN_REQUEST": "0",
        "ACCORD_BROKER_PROVIDER_CONTRACT_COMPARISON_BUDGET_MS": "0",
        "ACCORD_BROKER_WEBHOOK_POLL_INTERVAL_SECONDS": "0.02",
    }
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port), "--workers", "2"]
    with start_process([*argv, "--database-url", database_url], port=port, env=env) as server:
        yield RunningBroker(url=server.url, database_url=database_url)


def test_two_worker_processes_record_each_pair_exactly_once(
    two_worker_broker: RunningBroker,
) -> None:
    consumers = 40
    _publish_consumers(two_worker_broker, consumers)
    for version in ("2", "3"):
        body = _body(OPENAPI, version)
        assert two_worker_broker.post(PUBLISH, body).status_code == 200

    _wait_until_recorded(two_worker_broker, consumers)
    deadline = time.monotonic() + 60
    while _contract(two_worker_broker, "3")["pendingComparisons"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)

    results = _comparison_results(two_worker_broker.database_url)
    assert len(results) == 2 * consumers
    assert len(set(results)) == len(results)  # no pair recorded twice
