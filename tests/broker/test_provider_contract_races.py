"""Comparisons recorded exactly once when two transactions race on PostgreSQL.

Three paths record a (pact, provider contract) pair as a provider version's result: the
contract's publication, the background worker, and a pact's publication. Each test holds one
transaction open at the moment that matters, lets the other reach the database's lock (or
finish), then commits the first: the outcome no longer depends on timing. SQLite serialises
its writers, so these races exist on PostgreSQL only.
"""

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
import requests
from accord_broker.db import Database
from accord_broker.db.models import Verification
from accord_broker.db.provider_contract_models import ProviderContractContent
from accord_broker.domain.provider_contracts import (
    publish_provider_contract,
    read_provider_contract_request,
)
from accord_broker.domain.provider_contracts.comparison import store_verdicts
from accord_broker.domain.provider_contracts.pending import (
    claim_pending,
    compute_claimed,
    finish_claimed,
)
from accord_broker.domain.provider_contracts.results import is_comparison
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.broker.conftest import make_pact, start_broker
from tests.broker.test_provider_contract_background import ALL_IN_BACKGROUND
from tests.broker.test_provider_contracts import OPENAPI, PUBLISH, _body

WAIT_SECONDS = 60.0
"""How long a step may take to reach its state on a loaded machine (a hang guard, not a
measure: each wait ends as soon as the state is reached)."""


class Background:
    """``work`` on a thread; what it returned or raised, once joined."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.result: Any = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.result = work()
            except BaseException as exc:  # re-raised by join() in the test's thread
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def done(self) -> bool:
        return not self.thread.is_alive()

    def join(self) -> Any:
        self.thread.join(WAIT_SECONDS)
        assert not self.thread.is_alive(), "the background transaction never finished"
        if self.error is not None:
            raise self.error
        return self.result


def _someone_waits_for_a_lock(database: Database) -> bool:
    with database.read_session() as session:
        waiting = session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)


def _comparison_results(database: Database) -> list[tuple[int, int]]:
    """(pact version id, provider version id) of every comparison result, sorted."""
    with database.read_session() as session:
        rows = session.execute(
            select(
                Verification.pact_version_id,
                Verification.provider_version_id,
                Verification.verified_by,
            )
        ).all()
    return sorted((int(p), int(v)) for p, v, by in rows if is_comparison(by))


@pytest.fixture
def database(postgres_database_url: str) -> Iterator[Database]:
    found = Database(postgres_database_url)
    yield found
    found.dispose()


def test_a_republication_racing_the_worker_records_the_pair_once(
    postgres_database_url: str, database: Database
) -> None:
    settings = {"webhook_worker_enabled": False, **ALL_IN_BACKGROUND}
    with start_broker(postgres_database_url, **settings) as broker:
        assert broker.publish("Web", "1", make_pact()).status_code == 200
        assert broker.post(PUBLISH, _body(OPENAPI)).status_code == 200  # queued, not compared
        claimed = claim_pending(database, "worker-a", limit=10, lease_seconds=300)
        assert len(claimed) == 1
        _store_the_verdicts_first(database, claimed)

        recording = threading.Event()
        release = threading.Event()

        def hold_before_commit(session: Session, recorded: Sequence[Any], base_url: str) -> None:
            recording.set()  # the worker's result is written, not committed yet
            release.wait(WAIT_SECONDS)

        worker = Background(
            lambda: finish_claimed(database, "worker-a", claimed, {}, hold_before_commit)
        )
        assert recording.wait(WAIT_SECONDS)
        republication = Background(lambda: broker.post(PUBLISH, _body(OPENAPI)))
        _wait_until(
            lambda: _someone_waits_for_a_lock(database),
            "the republication waits for the worker's transaction",
        )
        release.set()

        assert worker.join().recorded == 1
        answer: requests.Response = republication.join()
        assert answer.status_code == 200, answer.text

    results = _comparison_results(database)
    assert len(results) == 1, f"{len(results)} results recorded for one pair: {results}"


def _store_the_verdicts_first(database: Database, claimed: Sequence[Any]) -> None:
    """Store the claimed pairs' verdicts beforehand (as an earlier publication of the same
    document would have), so neither racer waits on the other's verdict insert."""
    computed = compute_claimed(database, claimed)

    def store(session: Session) -> None:
        content = session.get(ProviderContractContent, claimed[0].content_id)
        assert content is not None
        by_pact = {pair.pact_version_id: computed[pair.pending_id] for pair in claimed}
        store_verdicts(session, by_pact, content)

    database.write(store)


def test_a_pact_published_while_a_contract_is_being_published_is_compared_with_it(
    postgres_database_url: str, database: Database
) -> None:
    with start_broker(postgres_database_url, webhook_worker_enabled=False) as broker:
        assert broker.publish("Web", "1", make_pact()).status_code == 200
        request = read_provider_contract_request("Accounts", _body(OPENAPI))
        published = threading.Event()
        release = threading.Event()

        def publish_and_hold(session: Session) -> int:
            outcome = publish_provider_contract(session, request)
            published.set()  # compared with Web's pact; not committed yet
            release.wait(WAIT_SECONDS)
            return len(outcome.recorded)

        contract = Background(lambda: database.write(publish_and_hold))
        assert published.wait(WAIT_SECONDS)
        pact = Background(
            lambda: broker.publish("Mobile", "1", make_pact("Mobile", "Accounts", "a call"))
        )
        # Either the pact's publication waits for the contract's, or (the race) it is done
        # without having seen the contract, which the contract did not see either.
        _wait_until(
            lambda: pact.done() or _someone_waits_for_a_lock(database),
            "the pact's publication finishes or waits",
        )
        release.set()

        assert contract.join() == 1
        assert pact.join().status_code == 200

    results = _comparison_results(database)
    assert len(results) == 2, f"each pact compared once with the contract, got {results}"
    assert len(set(results)) == 2
