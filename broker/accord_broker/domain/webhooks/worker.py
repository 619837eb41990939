"""The background worker: polls the queue, sends due deliveries, records attempts.

One daemon thread per broker process, started and stopped with the app (its lifespan). Any
number of processes may run one against the same database; :mod:`.queue` makes sure each
delivery is claimed by one of them. Pending deliveries survive a restart: they are rows, and the
next worker to poll picks them up.
"""

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from accord_broker.db.engine import Database
from accord_broker.db.faults import unavailability
from accord_broker.domain.webhooks.execution import execute
from accord_broker.domain.webhooks.policy import TargetPolicy
from accord_broker.domain.webhooks.queue import (
    RetrySchedule,
    claim_due,
    drop_delivery,
    load_for_delivery,
    record_attempt,
    release_claims,
    renew_claims,
)

log = logging.getLogger("accord_broker.webhooks")


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    policy: TargetPolicy
    schedule: RetrySchedule
    timeout_seconds: float = 10.0
    poll_interval_seconds: float = 1.0
    batch_size: int = 10
    secrets: Mapping[str, str] = field(default_factory=dict)
    """Values of ``${user.NAME}``, filled in only when a request is sent."""
    lease_seconds: float = 15.0
    """How long a claim stays with this worker without renewal: a killed worker's deliveries
    go to another worker after at most this long. Renewed every third of it while the
    worker holds claims, so slow deliveries keep theirs."""

    @property
    def heartbeat_seconds(self) -> float:
        return self.lease_seconds / 3


class WebhookWorker:
    """Delivers the queue from a daemon thread.

    ``gate`` says whether this process may deliver now: with several worker processes only
    the one holding the broker's leader lock does, and the others keep asking, so one takes
    over when it stops. ``on_attempt`` hears each attempt's resulting status (the metrics);
    ``around_delivery`` wraps each attempt, from loading it to recording it (a trace span).
    """

    def __init__(
        self,
        database: Database,
        config: WorkerConfig,
        *,
        gate: Callable[[], bool] | None = None,
        on_attempt: Callable[[str], None] | None = None,
        around_delivery: Callable[[int], AbstractContextManager[object]] | None = None,
    ) -> None:
        self.database = database
        self.config = config
        self.gate = gate
        self.on_attempt = on_attempt
        self.around_delivery = around_delivery or (lambda _delivery_id: nullcontext())
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._heartbeat: threading.Thread | None = None
        self._holding = False
        """Whether this worker holds claims now (the heartbeat renews them only then)."""

    def run_once(self) -> int:
        """Deliver what is due now; the number of deliveries attempted."""
        claimed = claim_due(
            self.database,
            self.owner,
            limit=self.config.batch_size,
            lease_seconds=self.config.lease_seconds,
        )
        self._holding = bool(claimed)
        try:
            self._deliver_batch(claimed)
        finally:
            self._holding = False
        return len(claimed)

    def _deliver_batch(self, claimed: list[int]) -> None:
        for delivery_id in claimed:
            if self._stop.is_set():
                break  # the lease expires and another worker (or the next start) resumes it
            try:
                self._deliver(delivery_id)
            except Exception as exc:
                # Isolated: one delivery that cannot even be attempted must not stop the ones
                # queued behind it. Its lease expires and it is tried again later. Only the
                # exception's type is logged: its text may quote the request (and a secret).
                log.error(
                    "webhook delivery %s failed before it was sent (%s); the rest of the "
                    "batch goes on",
                    delivery_id,
                    type(exc).__name__,
                )

    def _deliver(self, delivery_id: int) -> None:
        with self.around_delivery(delivery_id):
            self._attempt(delivery_id)

    def _attempt(self, delivery_id: int) -> None:
        request = load_for_delivery(self.database, delivery_id)
        if request is None:
            drop_delivery(self.database, delivery_id, self.owner)
            return
        config = self.config
        started = time.perf_counter()
        result = execute(request, config.policy, config.timeout_seconds, config.secrets)
        status = record_attempt(self.database, delivery_id, self.owner, result, config.schedule)
        self._report(delivery_id, status, time.perf_counter() - started)

    def _report(self, delivery_id: int, status: str | None, seconds: float) -> None:
        """One log line per attempt, with the access line's fields; the metrics hear it too."""
        outcome = status or "not_ours"
        if self.on_attempt is not None:
            self.on_attempt(outcome)
        log.info(
            "webhook delivery %s: %s",
            delivery_id,
            outcome,
            extra={
                "request_id": f"webhook-delivery-{delivery_id}",
                "delivery_id": delivery_id,
                "status": outcome,
                "duration_ms": round(seconds * 1000, 2),
            },
        )

    def _loop(self) -> None:
        while not self._stop.is_set():
            if self.gate is not None and not self.gate():
                self._stop.wait(self.config.poll_interval_seconds)
                continue
            try:
                busy = self.run_once()
            except Exception as exc:
                if unavailability(exc) is None:
                    log.exception("webhook worker: polling the queue failed; trying again")
                else:  # an outage: one line per poll, not a traceback
                    log.warning("webhook worker: the database is unavailable; polling again")
                busy = 0
            if not busy:
                self._stop.wait(self.config.poll_interval_seconds)

    def _renew_while_holding(self) -> None:
        """The heartbeat: keep this worker's claims while it delivers them. It runs beside the
        worker's thread because that one may wait on a slow target for the whole timeout."""
        while not self._stop.wait(self.config.heartbeat_seconds):
            if not self._holding:
                continue
            try:
                renew_claims(self.database, self.owner, lease_seconds=self.config.lease_seconds)
            except Exception as exc:  # the database is away: the claims may expire; retried
                log.warning("webhook worker: could not renew its claims (%s)", type(exc).__name__)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name="accord-webhook-worker", daemon=True
        )
        self._thread.start()
        self._heartbeat = threading.Thread(
            target=self._renew_while_holding, name="accord-webhook-heartbeat", daemon=True
        )
        self._heartbeat.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop after the delivery in progress; claimed deliveries not attempted go back to
        the queue at once (another worker need not wait for their lease to expire)."""
        self._stop.set()
        if self._thread is None:
            return
        self._thread.join(timeout=timeout)
        try:
            released = release_claims(self.database, self.owner)
        except Exception as exc:
            log.error("webhook worker: could not return its claims (%s)", type(exc).__name__)
            return
        if released:
            log.info("webhook worker: %d claimed deliveries returned to the queue", released)
