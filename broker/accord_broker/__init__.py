"""The accord broker: a Pact Broker-compatible service (FastAPI + SQLAlchemy).

Public names: :func:`create_app`, :class:`Settings`, :func:`serve`, :func:`migrate`.
"""

from accord_broker.app import create_app
from accord_broker.db.migrate import migrate
from accord_broker.serve import serve
from accord_broker.settings import Settings

__all__ = ["Settings", "create_app", "migrate", "serve"]
