"""The broker's Prometheus metrics: one :class:`BrokerMetrics` per app, exposed at ``/metrics``.

Requests are counted by route *template* (``/pacts/provider/{provider}/…``), never by raw path,
so pacticipant names cannot grow the label set. The webhook queue's depth and oldest age are
read from the database when a scraper asks (one small query), so every worker process answers
the same figures. With several worker processes (``accord broker serve --workers N``) the
counters live in prometheus-client's multiprocess files (``PROMETHEUS_MULTIPROC_DIR``, set by
``serve`` before the workers start) and any worker's scrape adds them all up.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client import exposition as text_format
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.openmetrics import exposition as openmetrics_format
from prometheus_client.registry import Collector

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus-client's own variable: where worker processes keep their counters."""

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "unmatched"
"""The route label of requests no route answered (404s, and answers given before routing)."""


@dataclass(frozen=True, slots=True)
class QueueState:
    """The webhook delivery queue as operators watch it."""

    depth: int
    """Deliveries waiting for an attempt (new or retrying)."""
    oldest_age_seconds: float
    """How long the oldest waiting delivery has been due (0 when none is)."""


def multiprocess_dir() -> str | None:
    """The multiprocess directory when several workers share the counters, else ``None``."""
    return os.environ.get(MULTIPROCESS_DIR_VARIABLE) or None


def status_class(status: int) -> str:
    """``"2xx"`` … ``"5xx"``: the status label, bounded whatever a handler answers."""
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


class _QueueCollector(Collector):
    """Reads the queue at scrape time; a database that does not answer leaves the gauges out
    (the readiness endpoint says why) rather than failing the whole scrape."""

    def __init__(self, read: Callable[[], QueueState]) -> None:
        self._read = read

    def collect(self) -> Iterator[Metric]:
        try:
            state = self._read()
        except Exception:
            return
        yield GaugeMetricFamily(
            "accord_broker_webhook_queue_depth",
            "Webhook deliveries waiting for an attempt.",
            value=state.depth,
        )
        yield GaugeMetricFamily(
            "accord_broker_webhook_queue_oldest_age_seconds",
            "Seconds the oldest waiting webhook delivery has been due.",
            value=state.oldest_age_seconds,
        )


class BrokerMetrics:
    """The metric families of one broker app, and their exposition."""

    def __init__(self, queue_state: Callable[[], QueueState] | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.requests = Counter(
            "accord_broker_http_requests",
            "HTTP requests answered, by route template, method and status class.",
            ["route", "method", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "accord_broker_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template and method.",
            ["route", "method"],
            registry=registry,
        )
        self.publications = Counter(
            "accord_broker_pact_publications",
            "Pacts published, by outcome (created, unchanged, modified).",
            ["outcome"],
            registry=registry,
        )
        self.verification_results = Counter(
            "accord_broker_verification_results",
            "Verification results published, by outcome (success, failure).",
            ["outcome"],
            registry=registry,
        )
        self.can_i_deploy = Counter(
            "accord_broker_can_i_deploy_answers",
            "Matrix and can-i-deploy answers, by outcome (deployable, not_deployable, unknown).",
            ["outcome"],
            registry=registry,
        )
        self.webhook_deliveries = Counter(
            "accord_broker_webhook_delivery_attempts",
            "Webhook delivery attempts, by the delivery's status after it (success, retrying, "
            "failure).",
            ["outcome"],
            registry=registry,
        )
        self.pool_in_use = Gauge(
            "accord_broker_db_pool_connections_in_use",
            "Database connections checked out of the pool (all workers).",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.pool_overflow = Gauge(
            "accord_broker_db_pool_overflow",
            "Connections open beyond the pool's size (all workers); steadily above 0 means "
            "the pool is too small for the load.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.scrape_registry = self._scrape_registry(queue_state)
        """What a scrape reads (also served by a separate metrics port)."""

    def _scrape_registry(self, queue_state: Callable[[], QueueState] | None) -> CollectorRegistry:
        """What a scrape reads: this process's registry, or every worker's files."""
        directory = multiprocess_dir()
        if directory is None:
            scrape = self.registry
            ProcessCollector(registry=scrape)
            PlatformCollector(registry=scrape)
        else:
            scrape = CollectorRegistry()
            MultiProcessCollector(scrape, path=directory)  # type: ignore[no-untyped-call]
            ProcessCollector(registry=scrape)  # the process that answered the scrape
        if queue_state is not None:
            scrape.register(_QueueCollector(queue_state))
        return scrape

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        method = method if method in KNOWN_METHODS else "other"
        self.requests.labels(route, method, status_class(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def observe_publication(self, outcome: str) -> None:
        self.publications.labels(outcome).inc()

    def observe_verification(self, success: bool) -> None:
        self.verification_results.labels("success" if success else "failure").inc()

    def observe_can_i_deploy(self, deployable: bool | None) -> None:
        outcome = (
            "unknown" if deployable is None else "deployable" if deployable else "not_deployable"
        )
        self.can_i_deploy.labels(outcome).inc()

    def observe_delivery(self, outcome: str) -> None:
        self.webhook_deliveries.labels(outcome).inc()

    def observe_pool(self, in_use: int, overflow: int) -> None:
        self.pool_in_use.set(in_use)
        self.pool_overflow.set(max(overflow, 0))

    def exposition(self, *, openmetrics: bool) -> tuple[bytes, str]:
        """The scrape body and its content type (OpenMetrics or the classic text format)."""
        if openmetrics:
            body = openmetrics_format.generate_latest(self.scrape_registry)  # type: ignore[no-untyped-call]
            return body, openmetrics_format.CONTENT_TYPE_LATEST
        return text_format.generate_latest(self.scrape_registry), text_format.CONTENT_TYPE_LATEST

    def close(self) -> None:
        """Forget this process's live gauges (a stopped worker's pool is not in use)."""
        if multiprocess_dir() is not None:
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
