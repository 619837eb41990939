"""One delivery per provider version currently deployed, for webhooks that ask which one.

``${pactbroker.currentlyDeployedProviderVersionNumber}`` has no single value: a provider can run
different versions in different environments. So, as in the Pact Broker, a webhook whose request
uses the variable is queued once per distinct version number of the provider that is currently
deployed (a ``deployed_versions`` row with ``undeployed_at IS NULL``, in any environment and
application instance, oldest deployment first), and each delivery carries its number in its
event context. A version deployed in two environments is one delivery. With nothing deployed
such a webhook is not queued at all, as there is no version to tell it about.

The expansion multiplies with the others: a ``contract_requiring_verification_published``
webhook using the variable gets one delivery per (deployed version, version that must verify)
pair, which is what the Pact Broker sends too.

Unlike the Pact Broker, which only looks at the body, the variable counts wherever it is used
(URL, headers, body, credentials): a webhook that asks for the value always gets one.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import DeployedVersion, Version
from accord_broker.db.webhook_models import Webhook

VARIABLE = "currentlyDeployedProviderVersionNumber"
CONTEXT_KEY = "currently_deployed_provider_version_number"
"""Where a delivery's event context keeps the number (the Pact Broker's name for it)."""

_PLACEHOLDER = "${pactbroker." + VARIABLE + "}"


def _request_texts(webhook: Webhook) -> Iterator[str | None]:
    yield webhook.url
    yield from (webhook.headers or {}).values()
    yield webhook.body
    yield webhook.username
    yield webhook.password


def uses_currently_deployed(webhook: Webhook) -> bool:
    """Whether any part of the webhook's request mentions the variable."""
    return any(text is not None and _PLACEHOLDER in text for text in _request_texts(webhook))


def currently_deployed_version_numbers(session: Session, provider_id: int) -> list[str]:
    """The distinct numbers of the provider's versions deployed now, oldest deployment first."""
    numbers = session.scalars(
        select(Version.number)
        .join(DeployedVersion, DeployedVersion.version_id == Version.id)
        .where(
            DeployedVersion.pacticipant_id == provider_id,
            DeployedVersion.undeployed_at.is_(None),
        )
        .order_by(DeployedVersion.created_at, DeployedVersion.id)
    ).all()
    return list(dict.fromkeys(numbers))


def expand_per_deployed_version(
    context: dict[str, Any], numbers: list[str]
) -> list[dict[str, Any]]:
    """One event context per deployed version number (none when nothing is deployed)."""
    return [{**context, CONTEXT_KEY: number} for number in numbers]


@dataclass(slots=True)
class DeployedProviderVersions:
    """The expansion for one event: the deployed versions are read once, and only if a
    webhook needs them (most do not)."""

    session: Session
    provider_id: int
    _numbers: list[str] | None = field(default=None, init=False)

    def numbers(self) -> list[str]:
        if self._numbers is None:
            self._numbers = currently_deployed_version_numbers(self.session, self.provider_id)
        return self._numbers

    def contexts_for(self, webhook: Webhook, context: dict[str, Any]) -> list[dict[str, Any]]:
        """The event contexts to queue ``webhook`` with: ``context`` itself, or one per
        deployed version when the webhook uses the variable."""
        if not uses_currently_deployed(webhook):
            return [context]
        return expand_per_deployed_version(context, self.numbers())
