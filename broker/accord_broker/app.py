"""``create_app(settings)``: the one place where the broker is wired together."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from accord_broker import ui
from accord_broker.api import (
    badges,
    branch_pacts,
    deployments,
    diagnostics,
    environments,
    for_verification,
    index,
    integrations,
    labels,
    matrix,
    pact_links,
    pacticipants,
    pacts,
    provider_contracts,
    provider_states,
    publish,
    relationships,
    verifications,
    versions,
    webhooks,
)
from accord_broker.api.auth import BasicAuthMiddleware
from accord_broker.api.body_limit import BodyLimitMiddleware
from accord_broker.api.errors import install_error_handlers
from accord_broker.api.openapi import install_openapi, unique_operation_id
from accord_broker.db.engine import ConnectionBounds, Database
from accord_broker.db.leader import LeaderLock
from accord_broker.db.migrate import migrate
from accord_broker.domain.operations.tokens import TokenScopes
from accord_broker.domain.unit_of_work import UnitOfWork
from accord_broker.domain.webhooks import WebhookWorker, worker_config_from_settings
from accord_broker.observability import install as observability
from accord_broker.observability import tracing
from accord_broker.settings import Settings
from accord_broker.ui import hal_browser, pact_changes, relation_docs
from accord_broker.web.context import Broker
from accord_broker.web.parameters import refuse_nul_parameters
from accord_broker.web.raw_path import RawPathMiddleware
from accord_broker.web.security import install_security


def _database(settings: Settings, *, pool_size: int = 10) -> Database:
    bounds = ConnectionBounds(
        connect_timeout_seconds=settings.database_connect_timeout_seconds,
        pool_timeout_seconds=settings.database_pool_timeout_seconds,
        keepalives_idle_seconds=settings.database_keepalives_idle_seconds,
        keepalives_interval_seconds=settings.database_keepalives_interval_seconds,
        keepalives_count=settings.database_keepalives_count,
        stall_grace_seconds=settings.database_stall_grace_seconds,
    )
    return Database(
        settings.database_url,
        statement_timeout_ms=settings.database_statement_timeout_ms,
        pool_size=pool_size,
        prepared_statements=settings.database_prepared_statements,
        bounds=bounds,
        sqlite_synchronous=settings.sqlite_synchronous,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """A broker over ``settings.database_url`` (migrated first, unless told not to)."""
    settings = settings if settings is not None else Settings()
    if settings.migrate_on_start:
        migrate(settings.database_url)
    database = _database(settings)
    uow = UnitOfWork(database)
    metrics = observability.metrics_for(database, uow)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The worker has its own pool: polling from the requests' pool would hand requests a
        # connection whose statements are not prepared yet whenever the two collide.
        worker_database = _database(settings, pool_size=1)
        tracing.trace_statements(worker_database)
        # One process per database delivers (the leader); the others stand by to take over.
        leader = LeaderLock(settings.database_url)
        worker = WebhookWorker(
            worker_database,
            worker_config_from_settings(settings),
            gate=leader.acquire,
            on_attempt=metrics.observe_delivery,
            around_delivery=tracing.delivery_span,  # a span per delivery when tracing is on
        )
        if settings.webhook_worker_enabled:
            worker.start()
        stop_metrics_port = observability.start_metrics_port(metrics, settings)
        try:
            yield
        finally:
            worker.stop()  # claimed deliveries not yet sent go back to the queue
            leader.release()
            stop_metrics_port()
            metrics.close()
            worker_database.dispose()
            database.dispose()

    app = FastAPI(
        title="accord broker",
        summary="A Pact Broker-compatible contract broker",
        lifespan=lifespan,
        docs_url=None,  # ui.api_docs_router serves /api-docs without a CDN or inline script
        redoc_url=None,
        dependencies=[Depends(refuse_nul_parameters)],
        generate_unique_id_function=unique_operation_id,
    )
    install_openapi(app)  # /openapi.json says what each route really answers
    app.state.broker = Broker(settings=settings, uow=uow, metrics=metrics)
    install_error_handlers(app)
    app.include_router(badges.router)  # first: ``/latest/badge`` is not the tag "badge"
    # Then the questions pipelines ask most (routes are tried in order, ~4 µs each); none of
    # their paths overlaps another router's.
    # branch_pacts before pacts: ``/branch/latest`` is not the branch "latest".
    for module in (matrix, for_verification, index, publish, branch_pacts, pacts, pact_links):
        app.include_router(module.router)
    for module in (verifications, provider_states, provider_contracts):
        app.include_router(module.router)
    app.include_router(ui.pages_router)  # before ui.router: /ui/pacticipants is a page of its own
    app.include_router(ui.router)
    app.include_router(ui.api_docs_router)
    app.include_router(hal_browser.router)  # /hal-browser: click through the HAL API
    app.include_router(pact_changes.router)  # a pact's semantic changes since the previous
    for module in (pacticipants, versions, environments, deployments, webhooks):
        app.include_router(module.router)
    for module in (labels, integrations, relationships, diagnostics):
        app.include_router(module.router)
    app.include_router(relation_docs.router)
    # Outermost last: the raw path is restored first, then the size limit, then authentication.
    observability.install_route_capture(app, metrics, settings)  # innermost: sees the route
    app.add_middleware(ui.BrowserRoutingMiddleware)
    app.add_middleware(BasicAuthMiddleware, settings=settings, tokens=TokenScopes(database))
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(RawPathMiddleware)
    install_security(app, settings)  # every answer carries the security headers
    # outermost: request id, timing and the access line for every answer
    observability.install_observed_requests(app, metrics, log_requests=settings.access_log)
    tracing.install_tracing(app, database)  # only when OTEL_* variables ask for traces
    return app
