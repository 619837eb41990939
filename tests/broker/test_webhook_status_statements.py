"""A pair's webhook status and a pact's triggered webhooks read each delivery's webhook in one
statement, whatever the number of deliveries (issue #20, "within 3 times the heartbeat").

Each delivery's webhook used to be looked up on its own, and read again for every delivery of
the same webhook: 9 statements for the benchmark's pair with three webhooks, ~0.4 ms each on
PostgreSQL."""

from collections.abc import Callable

import pytest
from accord_broker.db.engine import Database
from accord_broker.domain.webhooks import views as webhook_views
from accord_broker.domain.webhooks.queue import RetrySchedule
from sqlalchemy.orm import Session

from tests.broker.conftest import make_pact, start_broker
from tests.broker.statement_counts import select_statements
from tests.broker.webhook_receiver import WEBHOOK_SETTINGS, webhook_body

SCHEDULE = RetrySchedule((0.2, 0.4))
WEBHOOKS = 3
STATUS_BUDGET = 3
"""The consumer and the provider (one lookup), the newest delivery per webhook and event, their
webhooks."""
FOR_PACT_BUDGET = 4
"""The consumer's version (found with the consumer), the provider, the pact's deliveries,
their webhooks."""


def _history(database_url: str, publications: int) -> list[str]:
    """Three webhooks on the pair, each triggered by every publication of a changed pact (the
    worker is off: the deliveries stay queued, the status reads them back)."""
    settings = {**WEBHOOK_SETTINGS, "webhook_worker_enabled": False}
    uuids = []
    with start_broker(database_url, **settings) as broker:
        broker.publish("Web", "0.0.0", make_pact("Web", "Accounts"))  # the pair exists
        for n in range(WEBHOOKS):
            body = webhook_body(f"http://127.0.0.1:9/hook-{n}", "contract_published")
            created = broker.post("/webhooks/provider/Accounts/consumer/Web", body)
            assert created.status_code == 201, created.text
            uuids.append(created.json()["_links"]["self"]["href"].rsplit("/", 1)[-1])
        for n in range(1, publications + 1):
            pact = make_pact("Web", "Accounts")
            pact["interactions"][0]["description"] = f"call {n}"
            broker.publish("Web", f"{n}.0.0", pact)
    return uuids


def _status(session: Session) -> list[webhook_views.TriggeredWebhookView]:
    return webhook_views.latest_triggered_between(session, "Accounts", "Web", SCHEDULE)


def _triggered_for_pact(session: Session) -> list[webhook_views.TriggeredWebhookView]:
    return webhook_views.triggered_for_pact(session, "Accounts", "Web", "1.0.0", SCHEDULE)


@pytest.mark.parametrize("publications", [1, 4], ids=["one-publication", "four-publications"])
@pytest.mark.parametrize(
    ("read", "budget"),
    [(_status, STATUS_BUDGET), (_triggered_for_pact, FOR_PACT_BUDGET)],
    ids=["status", "for-pact"],
)
def test_deliveries_read_their_webhooks_in_one_statement(
    database_url: str,
    publications: int,
    read: Callable[[Session], list[webhook_views.TriggeredWebhookView]],
    budget: int,
) -> None:
    webhooks = _history(database_url, publications)

    database = Database(database_url)
    try:
        with database.read_session() as session:
            found = read(session)
    finally:
        database.dispose()
    assert sorted(v.webhook_uuid or "" for v in found) == sorted(webhooks)
    assert {v.name for v in found} == {"POST 127.0.0.1:9"}
    assert select_statements(database_url, read) == budget
