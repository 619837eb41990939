"""The rest of the history, bulk-inserted: verification results (with the hot pact version's
15,000), deployments, releases, and webhooks with their triggered deliveries and executions."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from accord_broker.db.models import (
    DeployedVersion,
    LatestVerification,
    ReleasedVersion,
    Verification,
)
from accord_broker.db.webhook_models import TriggeredWebhook, Webhook, WebhookExecution
from sqlalchemy import insert
from sqlalchemy.engine import Connection

from benchmarks.broker_scale.shape import (
    CONSUMERS,
    DEPLOYMENTS_BACK,
    ENVIRONMENTS,
    NOW,
    RELEASE_EVERY,
    TRIGGER_EVERY,
    WEBHOOKS,
    Shape,
    consumer_id,
    deployment_uuid,
    provider_id,
    providers_of,
    release_uuid,
    triggered_uuid,
    webhook_uuid,
)

VERIFICATIONS_TARGET = 1_000_000
"""About a million verification rows at full size: ~33 provider versions per pact version."""
CHUNK = 5000


POSTGRES_PARAMETERS = 30_000
"""Bound parameters per multi-row ``INSERT`` on PostgreSQL (its limit is 65,535)."""


def insert_chunked(
    connection: Connection, model: Any, rows: Iterator[dict[str, Any]], counts: dict[str, int]
) -> None:
    """Insert ``rows`` in chunks, counting them under the table name.

    On PostgreSQL each chunk is one multi-row ``INSERT``: the ``pb:metrics`` triggers are per
    statement, and an executemany runs one statement per row, so each row fired a trigger
    whose plan, made while the table was empty, scanned the whole table (the full-size seed
    crawled at ~15 rows/s into ``branch_versions``). SQLite's triggers are per row and use
    their indexes: executemany there."""
    postgres = connection.dialect.name == "postgresql"
    size = CHUNK
    if postgres:
        size = max(1, min(CHUNK, POSTGRES_PARAMETERS // len(model.__table__.columns)))

    def flush(chunk: list[dict[str, Any]]) -> None:
        if postgres:
            connection.execute(insert(model).values(chunk))
        else:
            connection.execute(insert(model), chunk)

    chunk: list[dict[str, Any]] = []
    total = 0
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            flush(chunk)
            total += len(chunk)
            chunk = []
    if chunk:
        flush(chunk)
        total += len(chunk)
    counts[model.__tablename__] = counts.get(model.__tablename__, 0) + total


class ResultsSeeder:
    """Verification, deployment, release and webhook rows, after the publications."""

    def __init__(self, connection: Connection, shape: Shape, counts: dict[str, int]) -> None:
        self.connection = connection
        self.shape = shape
        self.counts = counts

    def _insert(self, model: Any, rows: Iterator[dict[str, Any]]) -> None:
        insert_chunked(self.connection, model, rows, self.counts)

    def seed(self) -> None:
        self._insert(Verification, self._verification_rows())
        self._insert(LatestVerification, self._latest_verifications())
        self._insert(DeployedVersion, self._deployments())
        self._insert(ReleasedVersion, self._releases())
        self._insert(Webhook, self._webhooks())
        self._insert(TriggeredWebhook, self._triggered())
        self._insert(WebhookExecution, self._executions())

    def _verification_rows(self) -> Iterator[dict[str, Any]]:
        """Each pact version verified by a window of ~33 provider versions (5 % failing); the
        newest pact version of C00-P00 by every provider version, 15 times each."""
        shape = self.shape
        np_ = shape.provider_versions
        per = shape.pact_versions_per_pair
        spread = max(1, round(VERIFICATIONS_TARGET / (CONSUMERS * 2 * 3000 / 10)))
        ident = 0
        for c in range(CONSUMERS):
            for slot, p in enumerate(providers_of(c)):
                for m in range(per):
                    pv = shape.pact_version_id(c, slot, m)
                    hot = c == 0 and slot == 0 and m == per - 1
                    start = min(np_ - 1, (m * np_) // per)
                    window = range(np_) if hot else range(start, min(np_, start + spread))
                    repeats = shape.hot_repeats if hot else 1
                    number = 0
                    for k in window:
                        for _ in range(repeats):
                            ident += 1
                            number += 1
                            created = shape.provider_created(k)
                            yield {
                                "id": ident,
                                "number": number,
                                "pact_version_id": pv,
                                "provider_version_id": shape.provider_version_id(p, k),
                                "consumer_id": consumer_id(c),
                                "provider_id": provider_id(p),
                                "success": ident % 20 != 0,
                                "wip": False,
                                "execution_date": created,
                                "created_at": created,
                            }

    def _latest_verifications(self) -> Iterator[dict[str, Any]]:
        latest: dict[tuple[int, int], dict[str, Any]] = {}
        previous: tuple[int, int] | None = None
        for row in self._verification_rows():
            key = (row["pact_version_id"], row["provider_version_id"])
            if previous is not None and key != previous and previous in latest:
                yield latest.pop(previous)
            latest[key] = {
                "pact_version_id": key[0],
                "provider_version_id": key[1],
                "verification_id": row["id"],
                "consumer_id": row["consumer_id"],
                "provider_id": row["provider_id"],
                "created_at": row["created_at"],
            }
            previous = key
        yield from latest.values()

    def _deployments(self) -> Iterator[dict[str, Any]]:
        """Per environment and pacticipant: the current deployment and 20 earlier ones."""
        shape = self.shape
        for env_index in range(len(ENVIRONMENTS)):
            for i in range(CONSUMERS * 2):
                is_consumer = i < CONSUMERS
                count = shape.consumer_versions if is_consumer else shape.provider_versions
                for back in range(DEPLOYMENTS_BACK, -1, -1):
                    index = max(0, count - 1 - env_index * 5 - back)
                    vid = (
                        shape.consumer_version_id(i, index)
                        if is_consumer
                        else shape.provider_version_id(i - CONSUMERS, index)
                    )
                    created = NOW - timedelta(hours=back + 1)
                    yield {
                        "uuid": deployment_uuid(env_index, i, back),
                        "version_id": vid,
                        "pacticipant_id": 1 + i,
                        "environment_id": 1 + env_index,
                        "target_for_index": "",
                        "auto_created": False,
                        "created_at": created,
                        "updated_at": created,
                        "undeployed_at": None if back == 0 else created + timedelta(minutes=30),
                    }

    def _releases(self) -> Iterator[dict[str, Any]]:
        """Every hundredth consumer version released to production (mobile-app style), the
        newest three still supported: the releases grow with the history."""
        shape = self.shape
        released = list(range(0, shape.consumer_versions, RELEASE_EVERY))
        for c in range(CONSUMERS):
            for position, n in enumerate(released):
                created = shape.consumer_created(n)
                supported = position >= len(released) - 3
                yield {
                    "uuid": release_uuid(c, n),
                    "version_id": shape.consumer_version_id(c, n),
                    "pacticipant_id": consumer_id(c),
                    "environment_id": 1,
                    "created_at": created,
                    "updated_at": created,
                    "support_ended_at": None if supported else created + timedelta(days=1),
                }

    def _webhooks(self) -> Iterator[dict[str, Any]]:
        scopes = {
            "pair": {"consumer_id": consumer_id(0), "provider_id": provider_id(0)},
            "provider": {"provider_id": provider_id(0)},
            "label": {"consumer_label": "team-0"},
        }
        for index, name in enumerate(WEBHOOKS):
            yield {
                "id": 1 + index,
                "uuid": webhook_uuid(name),
                "description": f"notify CI ({name})",
                "consumer_id": None,
                "provider_id": None,
                "consumer_label": None,
                "provider_label": None,
                **scopes[name],
                "enabled": True,
                "events": ["contract_content_changed", "provider_verification_published"],
                "method": "POST",
                "url": f"https://ci.example.com/hooks/{name}",
                "headers": {"Content-Type": "application/json"},
                "body": '{"pact": "${pactbroker.pactUrl}"}',
                "body_is_json": True,
                "username": None,
                "password": None,
                "created_at": NOW,
                "updated_at": NOW,
            }

    def _triggered_rows(self) -> Iterator[tuple[int, str, int, dict[str, Any]]]:
        shape = self.shape
        ident = 0
        for index, name in enumerate(WEBHOOKS):
            for n in range(0, shape.consumer_versions, TRIGGER_EVERY):
                ident += 1
                yield ident, name, n, {"webhook_id": 1 + index}

    def _triggered(self) -> Iterator[dict[str, Any]]:
        """Each webhook fired for every tenth publication of the hot pair, delivered once."""
        shape = self.shape
        for ident, name, n, extra in self._triggered_rows():
            created = shape.consumer_created(n)
            yield {
                "id": ident,
                "uuid": triggered_uuid(name, n),
                **extra,
                "webhook_uuid": webhook_uuid(name),
                "trigger_type": "resource_creation",
                "event_name": "contract_content_changed",
                "event_context": {"event_name": "contract_content_changed"},
                "pact_publication_id": shape.publication_id(0, n, 0),
                "verification_id": None,
                "consumer_id": consumer_id(0),
                "provider_id": provider_id(0),
                "status": "success",
                "attempts_made": 1,
                "next_attempt_at": created,
                "lease_owner": None,
                "lease_expires_at": None,
                "created_at": created,
                "updated_at": created,
            }

    def _executions(self) -> Iterator[dict[str, Any]]:
        shape = self.shape
        for ident, name, n, _extra in self._triggered_rows():
            yield {
                "id": ident,
                "triggered_webhook_id": ident,
                "success": True,
                "logs": f"POST https://ci.example.com/hooks/{name}\nHTTP/1.1 200 OK\n",
                "created_at": shape.consumer_created(n) + timedelta(seconds=1),
            }
