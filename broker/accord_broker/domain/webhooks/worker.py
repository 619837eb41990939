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
import uuid
from dataclasses import dataclass

from accord_broker.db.engine import Database
from accord_broker.domain.webhooks.execution import execute
from accord_broker.domain.webhooks.policy import TargetPolicy
from accord_broker.domain.webhooks.queue import (
    RetrySchedule,
    claim_due,
    drop_delivery,
    load_for_delivery,
    record_attempt,
)

log = logging.getLogger("accord_broker.webhooks")


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    policy: TargetPolicy
    schedule: RetrySchedule
    timeout_seconds: float = 10.0
    poll_interval_seconds: float = 1.0
    batch_size: int = 10

    @property
    def lease_seconds(self) -> float:
        """Long enough for a whole batch of slow deliveries, with a margin."""
        return self.batch_size * (self.timeout_seconds * 2 + 5) + 30


class WebhookWorker:
    def __init__(self, database: Database, config: WorkerConfig) -> None:
        self.database = database
        self.config = config
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Deliver what is due now; the number of deliveries attempted."""
        claimed = claim_due(
            self.database,
            self.owner,
            limit=self.config.batch_size,
            lease_seconds=self.config.lease_seconds,
        )
        for delivery_id in claimed:
            if self._stop.is_set():
                break  # the lease expires and another worker (or the next start) resumes it
            request = load_for_delivery(self.database, delivery_id)
            if request is None:
                drop_delivery(self.database, delivery_id, self.owner)
                continue
            result = execute(request, self.config.policy, self.config.timeout_seconds)
            status = record_attempt(
                self.database, delivery_id, self.owner, result, self.config.schedule
            )
            log.info("webhook delivery %s: %s", delivery_id, status)
        return len(claimed)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception:
                log.exception("webhook worker: polling the queue failed; trying again")
                busy = 0
            if not busy:
                self._stop.wait(self.config.poll_interval_seconds)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name="accord-webhook-worker", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
