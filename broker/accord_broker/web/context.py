"""What every request handler needs: the unit of work, the settings and the link builder."""

from dataclasses import dataclass, field

from fastapi import Request

from accord_broker.domain.unit_of_work import UnitOfWork
from accord_broker.observability.metrics import BrokerMetrics
from accord_broker.settings import Settings
from accord_broker.web.links import Urls


@dataclass(frozen=True, slots=True)
class Broker:
    """The parts of the app a router works with (set on ``app.state.broker`` by create_app)."""

    settings: Settings
    uow: UnitOfWork
    metrics: BrokerMetrics = field(default_factory=BrokerMetrics)
    """Where routes count what they decided (publications, results, can-i-deploy answers)."""


def broker_of(request: Request) -> Broker:
    broker = request.app.state.broker
    assert isinstance(broker, Broker)
    return broker


def unit_of_work(request: Request) -> UnitOfWork:
    """The one way a request reaches storage: the domain gets this and opens what it needs."""
    return broker_of(request).uow


def urls_for(request: Request) -> Urls:
    """Links under the configured public base URL, else under the URL the client used."""
    configured = broker_of(request).settings.public_base_url
    if configured:
        return Urls(configured)
    return Urls(str(request.base_url))
