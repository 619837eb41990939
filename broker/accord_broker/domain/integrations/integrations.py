"""Integrations (a consumer and a provider that share a pact): list, and delete one or all.

Deleting is the Pact Broker's "start again" for an integration: its pacts, their verification
results and webhooks go, the versions that only existed for them go, and a pacticipant left
with nothing at all goes too. The cache tables (latest pacts, latest results, branch
verifications, triggered webhooks) follow through their foreign keys' cascades.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    Integration,
    Pacticipant,
    PactPublication,
    PactVersion,
    Verification,
    Version,
)
from accord_broker.db.webhook_models import Webhook
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.versions.branches import repair_branch_heads
from accord_broker.domain.versions.tags import repair_tag_heads
from accord_broker.errors import BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class IntegrationSummary:
    """One integration as ``GET /integrations`` renders it."""

    consumer: str
    provider: str
    created_at: datetime
    contract_data_updated_at: datetime


_CONSUMER, _PROVIDER = aliased(Pacticipant), aliased(Pacticipant)
_LISTED = (
    select(
        _CONSUMER.name,
        _PROVIDER.name,
        Integration.created_at,
        Integration.contract_data_updated_at,
    )
    .join(_CONSUMER, _CONSUMER.id == Integration.consumer_id)
    .join(_PROVIDER, _PROVIDER.id == Integration.provider_id)
    .order_by(func.lower(_CONSUMER.name), func.lower(_PROVIDER.name))
)
"""Built once: building and keying the statement cost more than running it (issue #20)."""


def list_integrations(session: Session) -> list[IntegrationSummary]:
    """Every integration, ordered by consumer then provider name (case-insensitively)."""
    return [
        IntegrationSummary(c, p, created, updated)
        for c, p, created, updated in session.execute(_LISTED)
    ]


def delete_integration(session: Session, provider_name: str, consumer_name: str) -> None:
    """Delete the integration and everything that exists only because of it (404 if none)."""
    consumer = get_pacticipant(session, consumer_name, "consumer")
    provider = get_pacticipant(session, provider_name, "provider")
    pair = (Integration.consumer_id == consumer.id) & (Integration.provider_id == provider.id)
    if not session.scalar(select(exists().where(pair))):
        raise BrokerNotFoundError(
            f"No integration between consumer '{consumer_name}' and provider "
            f"'{provider_name}' found (GET /integrations lists them)"
        )
    session.execute(
        delete(PactVersion).where(
            PactVersion.consumer_id == consumer.id, PactVersion.provider_id == provider.id
        )
    )
    session.execute(
        delete(Webhook).where(
            Webhook.consumer_id == consumer.id, Webhook.provider_id == provider.id
        )
    )
    session.execute(delete(Integration).where(pair))
    owners = [consumer.id] if consumer.id == provider.id else [consumer.id, provider.id]
    _delete_orphan_versions(session, owners)
    for owner in owners:
        _delete_if_orphan(session, owner)


def _delete_orphan_versions(session: Session, pacticipant_ids: Sequence[int]) -> None:
    """Versions of these pacticipants that no pact and no verification refers to any more."""
    orphan = (
        Version.pacticipant_id.in_(pacticipant_ids)
        & ~exists().where(PactPublication.consumer_version_id == Version.id)
        & ~exists().where(Verification.provider_version_id == Version.id)
    )
    orphans = list(session.scalars(select(Version.id).where(orphan)))
    if not orphans:
        return
    headed = list(session.scalars(select(Branch.id).where(Branch.head_version_id.in_(orphans))))
    session.execute(delete(Version).where(Version.id.in_(orphans)))
    repair_branch_heads(session, headed)
    repair_tag_heads(session, list(pacticipant_ids))


def _delete_if_orphan(session: Session, pacticipant_id: int) -> None:
    """A pacticipant with no version, pact or webhook left is deleted, as the Pact Broker does."""
    owned = (
        exists().where(Version.pacticipant_id == pacticipant_id),
        exists().where(
            or_(
                PactVersion.consumer_id == pacticipant_id, PactVersion.provider_id == pacticipant_id
            )
        ),
        exists().where(
            or_(Webhook.consumer_id == pacticipant_id, Webhook.provider_id == pacticipant_id)
        ),
    )
    if not any(session.scalar(select(condition)) for condition in owned):
        session.execute(delete(Pacticipant).where(Pacticipant.id == pacticipant_id))


def delete_all_integrations(session: Session) -> None:
    """``DELETE /integrations``: every pacticipant and all they own (environments stay).

    Deleting the pacticipants cascades to their versions, branches, tags, labels, pacts,
    verification results, deployments, releases and webhooks, as the Pact Broker's truncation
    of its integration tables does; webhooks for every pacticipant (no consumer or provider)
    go too."""
    session.execute(delete(Webhook))
    session.execute(delete(Pacticipant))
