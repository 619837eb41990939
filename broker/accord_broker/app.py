"""``create_app(settings)``: the one place where the broker is wired together."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from accord_broker import ui
from accord_broker.api import (
    badges,
    deployments,
    environments,
    for_verification,
    index,
    matrix,
    pacticipants,
    pacts,
    publish,
    verifications,
    versions,
    webhooks,
)
from accord_broker.api.auth import BasicAuthMiddleware
from accord_broker.api.body_limit import BodyLimitMiddleware
from accord_broker.api.context import Broker
from accord_broker.api.errors import install_error_handlers
from accord_broker.api.raw_path import RawPathMiddleware
from accord_broker.db.engine import Database
from accord_broker.db.migrate import migrate
from accord_broker.domain.tokens import TokenScopes
from accord_broker.domain.webhooks import WebhookWorker, worker_config_from_settings
from accord_broker.settings import Settings


def _database(settings: Settings, *, pool_size: int = 10) -> Database:
    return Database(
        settings.database_url,
        statement_timeout_ms=settings.database_statement_timeout_ms,
        pool_size=pool_size,
        prepared_statements=settings.database_prepared_statements,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """A broker over ``settings.database_url`` (migrated first, unless told not to)."""
    settings = settings if settings is not None else Settings()
    if settings.migrate_on_start:
        migrate(settings.database_url)
    database = _database(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The worker has its own pool: polling from the requests' pool would hand requests a
        # connection whose statements are not prepared yet whenever the two collide.
        worker_database = _database(settings, pool_size=1)
        worker = WebhookWorker(worker_database, worker_config_from_settings(settings))
        if settings.webhook_worker_enabled:
            worker.start()
        try:
            yield
        finally:
            worker.stop()
            worker_database.dispose()
            database.dispose()

    app = FastAPI(
        title="accord broker",
        summary="A Pact Broker-compatible contract broker",
        lifespan=lifespan,
        docs_url="/api-docs",
        redoc_url=None,
    )
    app.state.broker = Broker(settings=settings, database=database)
    install_error_handlers(app)
    app.include_router(badges.router)  # first: ``/latest/badge`` is not the tag "badge"
    # Then the questions pipelines ask most (routes are tried in order, ~4 µs each); none of
    # their paths overlaps another router's.
    for module in (matrix, for_verification, index, publish, pacts, verifications):
        app.include_router(module.router)
    app.include_router(ui.router)
    for module in (pacticipants, versions, environments, deployments, webhooks):
        app.include_router(module.router)
    # Outermost last: the raw path is restored first, then the size limit, then authentication.
    app.add_middleware(ui.BrowserRoutingMiddleware)
    app.add_middleware(BasicAuthMiddleware, settings=settings, tokens=TokenScopes(database))
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(RawPathMiddleware)
    return app
