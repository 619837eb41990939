"""Run the broker with uvicorn (``accord broker serve`` and ``python -m accord_broker``)."""

import gc

import uvicorn

from accord_broker.app import create_app
from accord_broker.settings import Settings


def serve(
    host: str = "127.0.0.1",
    port: int = 9292,
    database_url: str | None = None,
    *,
    access_log: bool = True,
) -> None:
    """Serve the broker until interrupted; settings come from ``ACCORD_BROKER_*`` otherwise."""
    settings = Settings() if database_url is None else Settings(database_url=database_url)
    app = create_app(settings)
    settle_garbage_collector()
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log)


def settle_garbage_collector() -> None:
    """Move everything alive once the app is built (modules, mappers, compiled statements,
    templates) out of the collector's reach, for this server process.

    A full collection then walks only what requests allocated since, instead of pausing a
    request for the whole heap: those pauses were the slowest requests of the scale benchmark.
    """
    gc.collect()
    gc.freeze()
