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

from accord_broker.observability.request_series import (
    LATENCY,
    LATENCY_HELP,
    REQUESTS,
    REQUESTS_HELP,
    RequestSeries,
)

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus-client's own variable: where worker processes keep their counters."""

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LABELS = ("route", "method", "status")
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
        self._others = CollectorRegistry()
        """Every collector of a single-process scrape after the request families, in order."""
        self.series: RequestSeries | None = None
        """The request families when this process alone counts them (see ``request_series``)."""
        self._requests: Counter | None = None
        self._latency: Histogram | None = None
        if multiprocess_dir() is None:
            self.series = RequestSeries()
            registry.register(self.series)
        else:  # the shared files are prometheus-client's: its Counter and Histogram write them
            self._requests = Counter(REQUESTS, REQUESTS_HELP, LABELS, registry=registry)
            self._latency = Histogram(LATENCY, LATENCY_HELP, LABELS[:2], registry=registry)
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
        for collector in (
            self.publications,
            self.verification_results,
            self.can_i_deploy,
            self.webhook_deliveries,
            self.pool_in_use,
            self.pool_overflow,
        ):
            self._others.register(collector)
        self.scrape_registry = self._scrape_registry(queue_state)
        """What a scrape reads (also served by a separate metrics port)."""

    def _scrape_registry(self, queue_state: Callable[[], QueueState] | None) -> CollectorRegistry:
        """What a scrape reads: this process's registry, or every worker's files."""
        directory = multiprocess_dir()
        extras: list[Collector] = []
        if directory is None:
            scrape = self.registry
            extras += [ProcessCollector(registry=None), PlatformCollector(registry=None)]
        else:
            scrape = CollectorRegistry()
            MultiProcessCollector(scrape, path=directory)  # type: ignore[no-untyped-call]
            extras.append(ProcessCollector(registry=None))  # the process that answered
        if queue_state is not None:
            extras.append(_QueueCollector(queue_state))
        for collector in extras:
            scrape.register(collector)
            self._others.register(collector)
        return scrape

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        method = method if method in KNOWN_METHODS else "other"
        if self.series is not None:
            self.series.observe(route, method, status_class(status), seconds)
            return
        assert self._requests is not None and self._latency is not None
        self._requests.labels(route, method, status_class(status)).inc()
        self._latency.labels(route, method).observe(seconds)

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
        """The scrape body and its content type (OpenMetrics or the classic text format).

        In a single process the request families are written by :class:`RequestSeries` and
        the rest (a few dozen lines) by prometheus-client, in the registry's order: the same
        text as ``generate_latest(scrape_registry)``, at a tenth of the cost."""
        if self.series is not None:
            if openmetrics:
                rest = openmetrics_format.generate_latest(self._others)  # type: ignore[no-untyped-call]
                head = self.series.openmetrics().encode()
                return head + rest, openmetrics_format.CONTENT_TYPE_LATEST
            head = self.series.text().encode()
            return head + text_format.generate_latest(self._others), text_format.CONTENT_TYPE_LATEST
        if openmetrics:
            body = openmetrics_format.generate_latest(self.scrape_registry)  # type: ignore[no-untyped-call]
            return body, openmetrics_format.CONTENT_TYPE_LATEST
        return text_format.generate_latest(self.scrape_registry), text_format.CONTENT_TYPE_LATEST

    def close(self) -> None:
        """Forget this process's live gauges (a stopped worker's pool is not in use)."""
        if multiprocess_dir() is not None:
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
