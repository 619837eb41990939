"""The data set's shape at one scale, and the ids and names both the seeder and the catalogue
of questions derive from it (deterministic, so the catalogue needs no database)."""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from accord.pact import content_sha

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
CONSUMERS = PROVIDERS = 50
ENVIRONMENTS = ("production", "staging", "test")
DEPLOYMENTS_BACK = 20
"""Earlier (undeployed) deployments per pacticipant and environment, besides the current one."""
TEAMS = 5
HOT_CONSUMER, HOT_PROVIDER = "C00", "P00"
"""The hot pair: every consumer version of C00 publishes a pact for P00, all verified."""
WEBHOOKS = ("pair", "provider", "label")
"""The webhooks: one for the hot pair, one for every consumer of P00, one by consumer label."""
TRIGGER_EVERY = 10
"""Every tenth publication of the hot pair triggered each webhook once (with one execution)."""
RELEASE_EVERY = 100
"""Every hundredth consumer version of each consumer was released to production (the newest
three still supported)."""
PROVIDER_CONTRACT_VERSIONS = 2
"""Provider contracts (OpenAPI) published by the newest versions of P00, through the API."""


@dataclass(frozen=True)
class Shape:
    """The data set at one scale: 1 is the issue's full size."""

    scale: float
    consumer_versions: int
    provider_versions: int
    hot_repeats: int

    @classmethod
    def at(cls, scale: float) -> "Shape":
        return cls(
            scale=scale,
            consumer_versions=max(20, round(3000 * scale)),
            provider_versions=max(10, round(1000 * scale)),
            hot_repeats=15,
        )

    @property
    def pact_versions_per_pair(self) -> int:
        """The pact's content changes every tenth consumer version."""
        return (self.consumer_versions + 9) // 10

    def consumer_version_id(self, c: int, n: int) -> int:
        return 1 + c * self.consumer_versions + n

    def provider_version_id(self, p: int, k: int) -> int:
        return 1 + CONSUMERS * self.consumer_versions + p * self.provider_versions + k

    def consumer_created(self, n: int) -> datetime:
        return NOW - timedelta(minutes=10 * (self.consumer_versions - n))

    def provider_created(self, k: int) -> datetime:
        return NOW - timedelta(minutes=30 * (self.provider_versions - k))

    def pact_version_id(self, c: int, slot: int, m: int) -> int:
        return 1 + (c * 2 + slot) * self.pact_versions_per_pair + m

    def publication_id(self, c: int, n: int, slot: int) -> int:
        return 1 + (c * self.consumer_versions + n) * 2 + slot

    @property
    def latest_consumer_version(self) -> str:
        return consumer_version_number(self.consumer_versions - 1)

    @property
    def latest_main_version(self) -> str:
        """The head of C00's main branch (the newest version may be on a feature branch)."""
        n = self.consumer_versions - 1
        while branch_of(n) != "main":
            n -= 1
        return consumer_version_number(n)

    @property
    def latest_provider_version(self) -> str:
        return provider_version_number(self.provider_versions - 1)


def consumer_id(c: int) -> int:
    return 1 + c


def provider_id(p: int) -> int:
    return 1 + CONSUMERS + p


def providers_of(c: int) -> tuple[int, int]:
    """Each consumer integrates with two providers: so P00 has consumers C00 and C49."""
    return c % PROVIDERS, (c + 1) % PROVIDERS


def consumer_version_number(n: int) -> str:
    return f"{n}.0.0"


def provider_version_number(k: int) -> str:
    return f"p{k}"


def branch_of(n: int) -> str:
    """Every fourth consumer version is on one of 50 feature branches, the rest on main."""
    return f"feat-{(n // 4) % 50}" if n % 4 == 3 else "main"


def consumer_tags(c: int, n: int) -> list[str]:
    """``release-N`` on every tenth version; on the hot consumer also ``dev`` on every other
    version and ``prod`` on every 50th."""
    tags = [f"release-{n // 100}"] if n % 10 == 0 else []
    if c == 0:
        tags += ["dev"] if n % 2 == 0 else []
        tags += ["prod"] if n % 50 == 0 else []
    return tags


def provider_tags(p: int, k: int) -> list[str]:
    """The hot provider tags every version ``dev`` and every tenth ``prod``."""
    if p != 0:
        return []
    return ["dev"] + (["prod"] if k % 10 == 0 else [])


def labels_of(i: int) -> list[str]:
    """Every pacticipant belongs to a team; the hot pair is also labelled ``hot``."""
    return [f"team-{i % TEAMS}"] + (["hot"] if i in (0, CONSUMERS) else [])


def _stable_uuid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "accord-scale/" + "/".join(map(str, parts))))


def environment_uuid(name: str) -> str:
    return _stable_uuid("environment", name)


def deployment_uuid(env_index: int, pacticipant_index: int, back: int) -> str:
    return _stable_uuid("deployed", env_index, pacticipant_index, back)


def release_uuid(c: int, n: int) -> str:
    return _stable_uuid("released", c, n)


def webhook_uuid(name: str) -> str:
    return _stable_uuid("webhook", name)


def triggered_uuid(webhook: str, n: int) -> str:
    return _stable_uuid("triggered", webhook, n)


def pact_content(consumer: int, provider: int, m: int) -> str:
    return json.dumps(
        {
            "consumer": {"name": f"C{consumer:02d}"},
            "provider": {"name": f"P{provider:02d}"},
            "interactions": [
                {
                    "type": "Synchronous/HTTP",
                    "description": f"request {m}",
                    "request": {"method": "GET", "path": f"/things/{m}"},
                    "response": {"status": 200, "body": {"content": {"id": m}}},
                }
            ],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )


@cache
def pact_sha(consumer: int, provider: int, m: int) -> str:
    """The broker's identity of that content, as a publication through the API would store."""
    document: dict[str, Any] = json.loads(pact_content(consumer, provider, m))
    return content_sha(document)
