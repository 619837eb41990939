"""Run the broker with uvicorn (``accord broker serve`` calls :func:`serve`)."""

import uvicorn

from accord_broker.app import create_app
from accord_broker.settings import Settings


def serve(host: str = "127.0.0.1", port: int = 9292, database_url: str | None = None) -> None:
    """Serve the broker until interrupted; settings come from ``ACCORD_BROKER_*`` otherwise."""
    settings = Settings() if database_url is None else Settings(database_url=database_url)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
