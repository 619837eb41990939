"""The background worker that records the comparisons publications left queued.

One daemon thread per broker process (every process runs one: the queue's leases keep each
pair with one worker, so two processes share the work instead of one waiting as a standby).
A publication that queued pairs wakes its process's worker at once; otherwise the worker polls,
which is how pairs queued by another process, or left by a process that died, are picked up.
Each recorded result fires the ``provider_verification_*`` webhooks, as a published
verification does.
"""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from accord_broker.db.engine import Database
from accord_broker.db.faults import unavailability
from accord_broker.db.models import Verification
from accord_broker.domain.provider_contracts.pending import (
    claim_pending,
    compute_claimed,
    finish_claimed,
    release_claims,
)
from accord_broker.domain.webhooks.triggers import emit_verifications_published

log = logging.getLogger("accord_broker.provider_contracts")


@dataclass(frozen=True, slots=True)
class ComparisonWorkerConfig:
    poll_interval_seconds: float = 1.0
    lease_seconds: float = 15.0
    """A claim not finished within this long goes to another worker (a killed process's
    pairs are recorded by another one after at most this long)."""
    batch_size: int = 50
    """Pairs per claim: about 4 ms each, so a batch finishes well within its lease, and the
    claim and record transactions are shared by enough pairs to cost little."""


def announce_results(
    session: Session, verifications: Sequence[Verification], base_url: str
) -> None:
    """Fire the webhooks a published verification fires, for each comparison's result."""
    emit_verifications_published(session, verifications, base_url=base_url)


class ComparisonWorker:
    def __init__(self, database: Database, config: ComparisonWorkerConfig) -> None:
        self.database = database
        self.config = config
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Claim, compare and record one batch; how many pairs were claimed."""
        claimed = claim_pending(
            self.database,
            self.owner,
            limit=self.config.batch_size,
            lease_seconds=self.config.lease_seconds,
        )
        if not claimed:
            return 0
        computed = compute_claimed(self.database, claimed)
        finished = finish_claimed(self.database, self.owner, claimed, computed, announce_results)
        if finished.lost:
            log.warning(
                "comparison worker: %d claimed pairs were taken over by another worker "
                "(their lease expired) and left to it",
                finished.lost,
            )
        return len(claimed)

    def wake(self) -> None:
        """Look at the queue now (a publication in this process just queued pairs)."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception as exc:
                if unavailability(exc) is None:
                    log.exception("comparison worker: a batch failed; its pairs are retried")
                else:
                    log.warning("comparison worker: the database is unavailable; trying again")
                busy = 0
            if not busy:
                self._wake.wait(self.config.poll_interval_seconds)
                self._wake.clear()

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name="accord-comparison-worker", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop after the batch in progress; claims not finished go back to the queue."""
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return
        self._thread.join(timeout=timeout)
        try:
            release_claims(self.database, self.owner)
        except Exception as exc:
            log.error("comparison worker: could not return its claims (%s)", type(exc).__name__)
