"""Publish the session's pact files to a Pact Broker (``POST /contracts/publish``).

The exchange itself is :mod:`accord.broker_client.publishing`, the one ``accord publish`` uses
(the ``pb:publish-contracts`` link, one request per consumer/provider pair, retries on 5xx);
this module only turns the consumer plugin's options into its inputs and checks them first, so
a missing broker URL or version is explained in the plugin's own terms.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accord.broker_client import BrokerAuth, BrokerClient
from accord.broker_client.publishing import VersionProperties, load_contracts, publish_contracts
from accord.errors import PublishConfigError

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class PublishOptions:
    broker_url: str
    consumer_version: str
    branch: str | None = None
    tags: tuple[str, ...] = ()
    build_url: str | None = None
    auth: BrokerAuth = field(default_factory=BrokerAuth)
    on_conflict: str = "overwrite"


@dataclass(frozen=True, slots=True)
class PublishedPact:
    """One pact the broker accepted, with the notices it answered."""

    consumer: str
    provider: str
    notices: tuple[str, ...]


def publish_pacts(files: Sequence[Path], options: PublishOptions) -> list[PublishedPact]:
    """Publish every pact file; stop at the first broker error (raised as ``BrokerError``)."""
    if not options.broker_url:
        raise PublishConfigError(
            "no Pact Broker URL: pass --pact-broker-url or set PACT_BROKER_BASE_URL"
        )
    if not options.consumer_version:
        raise PublishConfigError(
            "no consumer version: pass --consumer-app-version (or run inside a git checkout)"
        )
    if not files:
        raise PublishConfigError("there are no pact files to publish")
    version = VersionProperties(
        number=options.consumer_version,
        branch=options.branch,
        tags=options.tags,
        build_url=options.build_url,
        on_conflict=options.on_conflict,
    )
    contracts = load_contracts(files)
    with BrokerClient(options.broker_url, auth=options.auth, timeout=TIMEOUT_SECONDS) as client:
        published = publish_contracts(client, contracts, version)
    return [PublishedPact(item.consumer, item.provider, item.notices) for item in published]
