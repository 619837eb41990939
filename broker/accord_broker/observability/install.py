"""Wiring observability into one broker app (called by ``create_app``, the only wiring place)."""

import errno
import logging
from collections.abc import Callable
from typing import Any

from prometheus_client import start_http_server
from sqlalchemy import event
from starlette.applications import Starlette

from accord_broker.db.engine import Database
from accord_broker.domain.operations.health import delivery_backlog
from accord_broker.domain.unit_of_work import UnitOfWork
from accord_broker.observability.http import ObservedRequests, RouteCapture
from accord_broker.observability.metrics import BrokerMetrics, QueueState
from accord_broker.settings import Settings

log = logging.getLogger("accord_broker.metrics")


def metrics_for(database: Database, uow: UnitOfWork) -> BrokerMetrics:
    """Metrics reading the queue through ``uow`` and watching ``database``'s pool."""

    def queue_state() -> QueueState:
        backlog = delivery_backlog(uow)
        return QueueState(backlog.depth, backlog.oldest_age_seconds)

    metrics = BrokerMetrics(queue_state)
    _watch_pool(database, metrics.observe_pool)
    return metrics


def _watch_pool(database: Database, observe: Callable[[int, int], None]) -> None:
    """Update the pool gauges whenever a connection is checked out or in."""
    pool: Any = database.engine.pool
    if not hasattr(pool, "checkedout") or not hasattr(pool, "overflow"):
        return  # SQLite in memory: no pool to watch

    def changed(*_: Any) -> None:
        observe(pool.checkedout(), pool.overflow())

    event.listen(database.engine, "checkout", changed)
    event.listen(database.engine, "checkin", changed)


def install_route_capture(app: Starlette, metrics: BrokerMetrics, settings: Settings) -> None:
    """Innermost layer (call before any other ``add_middleware``): inside authentication, so
    ``/metrics`` is guarded like the API, unless a separate metrics port serves it instead."""
    serve_here = settings.metrics_port is None
    app.add_middleware(RouteCapture, metrics=metrics, serve_prometheus=serve_here)


def install_observed_requests(
    app: Starlette, metrics: BrokerMetrics, *, log_requests: bool
) -> None:
    """Outermost layer (call last): every answer, 401 and 413 included, is timed and logged."""
    app.add_middleware(ObservedRequests, metrics=metrics, log_requests=log_requests)


def start_metrics_port(metrics: BrokerMetrics, settings: Settings) -> Callable[[], None]:
    """Serve the scrape on ``metrics_port`` if set; the returned function stops it.

    With several worker processes the first to bind the port serves it (any worker's scrape
    adds up all of them); the others find it taken and leave it.
    """
    if settings.metrics_port is None:
        return lambda: None
    try:
        server, thread = start_http_server(
            settings.metrics_port, addr=settings.metrics_host, registry=metrics.scrape_registry
        )
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        log.info("metrics port %d is served by another worker", settings.metrics_port)
        return lambda: None

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
