"""Pact listings: the latest pact of every integration (``pb:latest-pact-versions``)."""

from dataclasses import dataclass
from typing import Any

from accord.broker_client.client import BrokerClient, JsonObject


@dataclass(frozen=True, slots=True)
class PactSummary:
    consumer: str
    consumer_version: str | None
    provider: str
    created_at: str | None


def list_latest_pact_versions(client: BrokerClient) -> JsonObject:
    return client.get_json(client.index_link("pb:latest-pact-versions"))


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def pact_summaries(listing: JsonObject) -> list[PactSummary]:
    pacts = listing.get("pacts")
    return [
        PactSummary(
            consumer=str(_dig(pact, "_embedded", "consumer", "name")),
            consumer_version=_dig(pact, "_embedded", "consumer", "_embedded", "version", "number"),
            provider=str(_dig(pact, "_embedded", "provider", "name")),
            created_at=pact.get("createdAt"),
        )
        for pact in pacts or []
        if isinstance(pact, dict)
    ]
