"""What every request handler needs: the database, the settings and the link builder."""

from dataclasses import dataclass

from fastapi import Request

from accord_broker.api.hal import Urls
from accord_broker.db.engine import Database
from accord_broker.settings import Settings


@dataclass(frozen=True, slots=True)
class Broker:
    """The parts of the app a router works with (set on ``app.state.broker`` by create_app)."""

    settings: Settings
    database: Database


def broker_of(request: Request) -> Broker:
    broker = request.app.state.broker
    assert isinstance(broker, Broker)
    return broker


def urls_for(request: Request) -> Urls:
    """Links under the configured public base URL, else under the URL the client used."""
    configured = broker_of(request).settings.public_base_url
    if configured:
        return Urls(configured)
    return Urls(str(request.base_url))
