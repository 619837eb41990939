"""Publishing pacts: content stored once per hash, publications per consumer version.

A publication says "consumer version V published content X for provider P". Publishing content
that is already stored reuses it, so verification results (attached to the content) carry over
to every consumer version that publishes the same contract. Re-publishing identical content for
the same version changes nothing; publishing *different* content for a version that already has
a pact is refused unless ``allow_modification`` is on, in which case it becomes a new revision.
"""

import enum
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.pact import content_sha
from accord_broker.db.models import (
    Integration,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    Version,
)
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore
from accord_broker.domain.pacts.pact_content import count_interactions
from accord_broker.domain.provider_contracts import compare_new_pact
from accord_broker.errors import BrokerConflictError


class PublishOutcome(enum.Enum):
    CREATED = "created"
    """The consumer version had no pact with this provider: a first revision."""
    UNCHANGED = "unchanged"
    """The same content was already published for this consumer version."""
    REVISED = "revised"
    """Different content replaced the earlier revision (only when modification is allowed)."""


@dataclass(frozen=True, slots=True)
class Published:
    outcome: PublishOutcome
    publication: PactPublication
    pact_version: PactVersion


def modification_refused_message(consumer: str, version: str, provider: str) -> str:
    return (
        f"Cannot change the content of the pact for {consumer} version {version} and provider "
        f"{provider}, as race conditions will cause unreliable results for can-i-deploy. Each pact "
        "must be published with a unique consumer version number. Set "
        "ACCORD_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION=true to allow it anyway."
    )


def _find_or_create_pact_version(
    session: Session,
    consumer: Pacticipant,
    provider: Pacticipant,
    content: dict[str, Any],
    *,
    text: str,
    sha: str,
) -> PactVersion:
    query = select(PactVersion).where(
        PactVersion.consumer_id == consumer.id,
        PactVersion.provider_id == provider.id,
        PactVersion.sha == sha,
    )
    found = session.scalar(query)
    if found is not None:
        return found
    interactions, messages = count_interactions(content)
    insert_ignore(
        session,
        PactVersion,
        {
            "consumer_id": consumer.id,
            "provider_id": provider.id,
            "sha": sha,
            "content": text,
            "interactions_count": interactions,
            "messages_count": messages,
            "created_at": utc_now(),
        },
        ["consumer_id", "provider_id", "sha"],
    )
    created = session.scalar(query)
    assert created is not None
    return created


def current_publication(
    session: Session, consumer_version: Version, provider: Pacticipant
) -> PactPublication | None:
    """The latest revision of the pact ``consumer_version`` published for ``provider``."""
    return session.scalar(
        select(PactPublication)
        .join(
            LatestPactPublication, LatestPactPublication.pact_publication_id == PactPublication.id
        )
        .where(
            LatestPactPublication.consumer_version_id == consumer_version.id,
            LatestPactPublication.provider_id == provider.id,
        )
    )


def check_publishable(
    session: Session,
    consumer_version: Version,
    provider: Pacticipant,
    sha: str,
    *,
    allow_modification: bool,
) -> None:
    """Raise 409 now if publishing content whose ``content_sha`` is ``sha`` would change this
    version's existing pact."""
    if allow_modification:
        return
    current = current_publication(session, consumer_version, provider)
    if current is None:
        return
    stored = session.get(PactVersion, current.pact_version_id)
    if stored is not None and stored.sha != sha:
        message = modification_refused_message(
            consumer_version.pacticipant.name, consumer_version.number, provider.name
        )
        raise BrokerConflictError(message, errors={"contracts": [message]})


def publish_pact(
    session: Session,
    consumer_version: Version,
    provider: Pacticipant,
    content: dict[str, Any],
    *,
    text: str | None = None,
    sha: str | None = None,
    allow_modification: bool = False,
    checked: bool = False,
) -> Published:
    """Store ``content`` (the pact JSON; ``text`` its published form) for the version/provider.

    ``sha`` is the content's ``content_sha`` when the caller has it already, and ``checked``
    says the caller ran ``check_publishable`` with it in this transaction: hashing a big pact
    and looking up the current publication are the costly parts, so each is done once.
    """
    consumer = consumer_version.pacticipant
    sha = sha if sha is not None else content_sha(content)
    if not checked:
        check_publishable(
            session, consumer_version, provider, sha, allow_modification=allow_modification
        )
    stored_text = text if text is not None else json.dumps(content, ensure_ascii=False)
    pact_version = _find_or_create_pact_version(
        session, consumer, provider, content, text=stored_text, sha=sha
    )
    current = current_publication(session, consumer_version, provider)
    if current is not None and current.pact_version_id == pact_version.id:
        return Published(PublishOutcome.UNCHANGED, current, pact_version)

    now = utc_now()
    publication = PactPublication(
        consumer_version_id=consumer_version.id,
        provider_id=provider.id,
        consumer_id=consumer.id,
        revision_number=1 if current is None else current.revision_number + 1,
        pact_version_id=pact_version.id,
        consumer_version_order=consumer_version.order,
        created_at=now,
    )
    session.add(publication)
    session.flush()  # a concurrent publisher of the same revision fails here and retries
    if current is None:
        session.add(
            LatestPactPublication(
                consumer_version_id=consumer_version.id,
                provider_id=provider.id,
                consumer_id=consumer.id,
                pact_publication_id=publication.id,
                pact_version_id=pact_version.id,
                consumer_version_order=consumer_version.order,
                created_at=now,
            )
        )
    else:
        session.execute(
            update(LatestPactPublication)
            .where(
                LatestPactPublication.consumer_version_id == consumer_version.id,
                LatestPactPublication.provider_id == provider.id,
            )
            .values(
                pact_publication_id=publication.id, pact_version_id=pact_version.id, created_at=now
            )
        )
    _touch_integration(session, consumer, provider)
    session.flush()
    compare_new_pact(session, pact_version, provider)  # bi-directional: against OpenAPI
    outcome = PublishOutcome.CREATED if current is None else PublishOutcome.REVISED
    return Published(outcome, publication, pact_version)


def _touch_integration(session: Session, consumer: Pacticipant, provider: Pacticipant) -> None:
    now = utc_now()
    insert_ignore(
        session,
        Integration,
        {
            "consumer_id": consumer.id,
            "provider_id": provider.id,
            "created_at": now,
            "contract_data_updated_at": now,
        },
        ["consumer_id", "provider_id"],
    )
    session.execute(
        update(Integration)
        .where(Integration.consumer_id == consumer.id, Integration.provider_id == provider.id)
        .values(contract_data_updated_at=now)
    )
