"""Emitting events: which webhooks fire for a publication or a verification, and queueing them.

Called inside the transaction that writes the publication or verification, so the queued
deliveries (``triggered_webhooks`` rows) commit or roll back with it: a delivery is never lost
and never sent for something that did not happen. Nothing is sent here; the worker does that.
A webhook using ``${pactbroker.currentlyDeployedProviderVersionNumber}`` is queued once per
provider version currently deployed (:mod:`~accord_broker.domain.webhooks.deployed`).
"""

import base64
import binascii
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    DeployedVersion,
    Environment,
    Label,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    ReleasedVersion,
    Tag,
    Verification,
    Version,
)
from accord_broker.db.types import utc_now
from accord_broker.db.webhook_models import TriggeredWebhook, Webhook
from accord_broker.domain.pacts.publication import Published, PublishOutcome
from accord_broker.domain.versions.branches import branch_names_of
from accord_broker.domain.versions.tags import tags_of
from accord_broker.domain.webhooks import events
from accord_broker.domain.webhooks.deployed import DeployedProviderVersions


def matching_webhooks(session: Session, consumer_id: int, provider_id: int) -> list[Webhook]:
    """Enabled webhooks whose consumer and provider scopes (name or label) cover the pair."""
    candidates = session.scalars(
        select(Webhook)
        .where(
            Webhook.enabled.is_(True),
            or_(Webhook.consumer_id.is_(None), Webhook.consumer_id == consumer_id),
            or_(Webhook.provider_id.is_(None), Webhook.provider_id == provider_id),
        )
        .order_by(Webhook.id)
    ).all()
    if not candidates:
        return []
    labels = {
        (pid, name)
        for pid, name in session.execute(
            select(Label.pacticipant_id, Label.name).where(
                Label.pacticipant_id.in_((consumer_id, provider_id))
            )
        ).all()
    }
    return [
        webhook
        for webhook in candidates
        if (webhook.consumer_label is None or (consumer_id, webhook.consumer_label) in labels)
        and (webhook.provider_label is None or (provider_id, webhook.provider_label) in labels)
    ]


def _queue(
    session: Session,
    webhook: Webhook,
    event_name: str,
    context: dict[str, Any],
    *,
    publication: PactPublication | None,
    verification_id: int | None,
    consumer_id: int,
    provider_id: int,
    trigger_type: str = events.TRIGGER_RESOURCE_CREATION,
) -> TriggeredWebhook:
    now = utc_now()
    triggered = TriggeredWebhook(
        uuid=str(uuid.uuid4()),
        webhook_id=webhook.id,
        webhook_uuid=webhook.uuid,
        trigger_type=trigger_type,
        event_name=event_name,
        event_context={**context, "event_name": event_name},
        pact_publication_id=publication.id if publication is not None else None,
        verification_id=verification_id,
        consumer_id=consumer_id,
        provider_id=provider_id,
        status=events.NOT_RUN,
        attempts_made=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(triggered)
    return triggered


def _queue_per_deployed_version(
    session: Session,
    deployed: DeployedProviderVersions,
    webhook: Webhook,
    event_name: str,
    context: dict[str, Any],
    *,
    publication: PactPublication | None,
    verification_id: int | None,
    consumer_id: int,
) -> list[TriggeredWebhook]:
    """Queue ``webhook`` once, or once per deployed provider version when it asks for one."""
    return [
        _queue(
            session,
            webhook,
            event_name,
            expanded,
            publication=publication,
            verification_id=verification_id,
            consumer_id=consumer_id,
            provider_id=deployed.provider_id,
        )
        for expanded in deployed.contexts_for(webhook, context)
    ]


def _previous_publication(
    session: Session, publication: PactPublication, tag: str | None
) -> LatestPactPublication | None:
    """The pact of the newest earlier consumer version with ``tag`` (``None``: untagged)."""
    has_tag = exists().where(Tag.version_id == LatestPactPublication.consumer_version_id)
    query = select(LatestPactPublication).where(
        LatestPactPublication.consumer_id == publication.consumer_id,
        LatestPactPublication.provider_id == publication.provider_id,
        LatestPactPublication.consumer_version_order < publication.consumer_version_order,
    )
    query = (
        query.where(has_tag.where(Tag.name == tag)) if tag is not None else query.where(~has_tag)
    )
    return session.scalar(
        query.order_by(LatestPactPublication.consumer_version_order.desc()).limit(1)
    )


def content_changed(session: Session, publication: PactPublication, tags: list[str]) -> bool:
    """Whether a new publication changes the pact for any of its tags (or among untagged
    versions): no earlier pact there, or a different one."""
    wanted: list[str | None] = list(tags) if tags else [None]
    for tag in wanted:
        previous = _previous_publication(session, publication, tag)
        if previous is None or previous.pact_version_id != publication.pact_version_id:
            return True
    return False


def _main_branch_verification(session: Session, published: Published) -> int | None:
    provider = session.get(Pacticipant, published.publication.provider_id)
    if provider is None or not provider.main_branch:
        return None
    return session.scalar(
        select(Verification.id)
        .join(BranchVersion, BranchVersion.version_id == Verification.provider_version_id)
        .where(
            Verification.pact_version_id == published.pact_version.id,
            BranchVersion.branch_name == provider.main_branch,
            BranchVersion.pacticipant_id == provider.id,
        )
        .order_by(Verification.id.desc())
        .limit(1)
    )


@dataclass(slots=True)
class RequiredVerification:
    """A provider version that has not verified some content yet, and why it should."""

    version: Version
    descriptions: list[str]
    branch: str | None


def required_verifications(session: Session, published: Published) -> list[RequiredVerification]:
    """The provider's main-branch head, deployed and released versions that have no
    verification of the published content (one entry per version, reasons merged)."""
    provider_id = published.publication.provider_id
    provider = session.get(Pacticipant, provider_id)
    assert provider is not None
    candidates: list[tuple[int, str, str | None]] = []
    if provider.main_branch:
        head = session.scalar(
            select(Branch.head_version_id).where(
                Branch.pacticipant_id == provider_id, Branch.name == provider.main_branch
            )
        )
        if head is not None:
            candidates.append((head, "latest from main branch", provider.main_branch))
    deployed = session.execute(
        select(DeployedVersion.version_id, Environment.name)
        .join(Environment, Environment.id == DeployedVersion.environment_id)
        .where(
            DeployedVersion.pacticipant_id == provider_id, DeployedVersion.undeployed_at.is_(None)
        )
        .order_by(DeployedVersion.id)
    ).all()
    candidates += [(vid, f"deployed in {env}", None) for vid, env in deployed]
    released = session.execute(
        select(ReleasedVersion.version_id, Environment.name)
        .join(Environment, Environment.id == ReleasedVersion.environment_id)
        .where(
            ReleasedVersion.pacticipant_id == provider_id,
            ReleasedVersion.support_ended_at.is_(None),
        )
        .order_by(ReleasedVersion.id)
    ).all()
    candidates += [(vid, f"released in {env}", None) for vid, env in released]

    required: dict[int, RequiredVerification] = {}
    for version_id, description, branch in candidates:
        verified = session.scalar(
            select(Verification.id)
            .where(
                Verification.pact_version_id == published.pact_version.id,
                Verification.provider_version_id == version_id,
            )
            .limit(1)
        )
        if verified is not None:
            continue
        entry = required.get(version_id)
        if entry is None:
            version = session.get(Version, version_id)
            assert version is not None
            required[version_id] = RequiredVerification(version, [description], branch)
        else:
            if description not in entry.descriptions:
                entry.descriptions.append(description)
            entry.branch = entry.branch or branch
    for entry in required.values():
        if entry.branch is None:
            branches = branch_names_of(session, entry.version)
            entry.branch = branches[-1][0] if branches else None
    return list(required.values())


def emit_pact_published(
    session: Session,
    published: Published,
    *,
    base_url: str,
    consumer_version_branch: str | None = None,
    build_url: str | None = None,
) -> list[TriggeredWebhook]:
    """Queue the webhooks a pact publication fires: ``contract_published`` always,
    ``contract_content_changed`` when the content changed, and one
    ``contract_requiring_verification_published`` per provider version that must verify it.

    ``consumer_version_branch`` and ``build_url`` come from a ``/contracts/publish`` body.
    """
    publication = published.publication
    webhooks = matching_webhooks(session, publication.consumer_id, publication.provider_id)
    if not webhooks:
        return []
    version = session.get(Version, publication.consumer_version_id)
    assert version is not None
    tags = [tag.name for tag in tags_of(session, version)]
    context: dict[str, Any] = {"base_url": base_url, "consumer_version_tags": tags}
    if consumer_version_branch is not None:
        context["consumer_version_branch"] = consumer_version_branch
    if build_url is not None:
        context["build_url"] = build_url
    fired = [events.CONTRACT_PUBLISHED]
    if published.outcome is PublishOutcome.REVISED or (
        published.outcome is PublishOutcome.CREATED and content_changed(session, publication, tags)
    ):
        fired.append(events.CONTRACT_CONTENT_CHANGED)
    listening = [
        w
        for w in webhooks
        if set(w.events) & {*fired, events.CONTRACT_REQUIRING_VERIFICATION_PUBLISHED}
    ]
    if not listening:
        return []
    verification_id = _main_branch_verification(session, published)
    deployed = DeployedProviderVersions(session, publication.provider_id)
    queued: list[TriggeredWebhook] = []
    for event_name in fired:
        for webhook in (w for w in listening if event_name in w.events):
            queued += _queue_per_deployed_version(
                session,
                deployed,
                webhook,
                event_name,
                context,
                publication=publication,
                verification_id=verification_id,
                consumer_id=publication.consumer_id,
            )
    crvp = events.CONTRACT_REQUIRING_VERIFICATION_PUBLISHED
    crvp_webhooks = [w for w in listening if crvp in w.events]
    if crvp_webhooks:
        for required in required_verifications(session, published):
            required_context = {
                **context,
                "provider_version_number": required.version.number,
                "provider_version_branch": required.branch,
                "provider_version_descriptions": required.descriptions,
            }
            for webhook in crvp_webhooks:
                queued += _queue_per_deployed_version(
                    session,
                    deployed,
                    webhook,
                    crvp,
                    required_context,
                    publication=publication,
                    verification_id=None,
                    consumer_id=publication.consumer_id,
                )
    session.flush()
    return queued


@dataclass(frozen=True, slots=True)
class VerifiedConsumerVersion:
    """A consumer version a verification was for, as its pact URL's metadata tells."""

    number: str | None = None
    version_id: int | None = None
    tags: tuple[str, ...] = ()


def consumer_versions_from_metadata(metadata: str | None) -> list[VerifiedConsumerVersion]:
    """``cvn``/``cvt[]`` (webhook pact URLs) or the selectors' ``s[][cv]`` (for-verification
    URLs), grouped per consumer version; ``[]`` when the metadata says nothing about them."""
    if not metadata:
        return []
    padded = metadata + "=" * (-len(metadata) % 4)
    try:
        text = base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return []
    pairs = parse_qsl(text, keep_blank_values=True)
    cvn = next((v for k, v in pairs if k == "cvn" and v), None)
    if cvn is not None:
        return [
            VerifiedConsumerVersion(number=cvn, tags=tuple(v for k, v in pairs if k == "cvt[]"))
        ]
    grouped: dict[int, list[str]] = {}
    pending_tags: list[str] = []
    for key, value in pairs:
        if key == "s[][t]":
            pending_tags.append(value)
        # an id: ASCII digits that fit in 64 bits (the database refuses to compare others)
        elif key == "s[][cv]" and value.isascii() and value.isdigit() and len(value) < 19:
            grouped.setdefault(int(value), [])
            grouped[int(value)] += [t for t in pending_tags if t not in grouped[int(value)]]
            pending_tags = []
    return [VerifiedConsumerVersion(version_id=vid, tags=tuple(t)) for vid, t in grouped.items()]


def _publication_for(
    session: Session, verification: Verification, consumer_version: VerifiedConsumerVersion | None
) -> PactPublication | None:
    version_id = consumer_version.version_id if consumer_version else None
    if consumer_version is not None and consumer_version.number is not None:
        version_id = session.scalar(
            select(Version.id).where(
                Version.pacticipant_id == verification.consumer_id,
                Version.number == consumer_version.number,
            )
        )
    query = select(PactPublication).join(
        LatestPactPublication, LatestPactPublication.pact_publication_id == PactPublication.id
    )
    if version_id is not None:
        found = session.scalar(
            query.where(
                LatestPactPublication.consumer_version_id == version_id,
                LatestPactPublication.provider_id == verification.provider_id,
            )
        )
        if found is not None:
            return found
    found = session.scalar(
        query.where(LatestPactPublication.pact_version_id == verification.pact_version_id)
        .order_by(LatestPactPublication.consumer_version_order.desc())
        .limit(1)
    )
    if found is not None:
        return found
    return session.scalar(
        select(PactPublication)
        .where(PactPublication.pact_version_id == verification.pact_version_id)
        .order_by(PactPublication.id.desc())
        .limit(1)
    )


def emit_verification_published(
    session: Session, verification: Verification, *, base_url: str, metadata: str | None = None
) -> list[TriggeredWebhook]:
    """Queue ``provider_verification_published`` and ``…_succeeded``/``…_failed``, once per
    consumer version the verification was for (from the pact URL's ``metadata``)."""
    webhooks = matching_webhooks(session, verification.consumer_id, verification.provider_id)
    outcome = (
        events.PROVIDER_VERIFICATION_SUCCEEDED
        if verification.success
        else events.PROVIDER_VERIFICATION_FAILED
    )
    fired = (events.PROVIDER_VERIFICATION_PUBLISHED, outcome)
    listening = [w for w in webhooks if set(w.events) & set(fired)]
    if not listening:
        return []
    base: dict[str, Any] = {
        "base_url": base_url,
        "provider_version_tags": list(verification.provider_version_tag_names or []),
    }
    if verification.build_url:
        base["build_url"] = verification.build_url
    targets: Iterable[VerifiedConsumerVersion | None] = consumer_versions_from_metadata(
        metadata
    ) or [None]
    deployed = DeployedProviderVersions(session, verification.provider_id)
    queued: list[TriggeredWebhook] = []
    for target in targets:
        context = dict(base)
        publication = _publication_for(session, verification, target)
        if target is not None:
            number = target.number
            if number is None and target.version_id is not None:
                found = session.get(Version, target.version_id)
                number = found.number if found is not None else None
            if number is not None:
                context["consumer_version_number"] = number
            if target.tags or target.version_id is not None:
                context["consumer_version_tags"] = list(target.tags)
        for event_name in fired:
            for webhook in (w for w in listening if event_name in w.events):
                queued += _queue_per_deployed_version(
                    session,
                    deployed,
                    webhook,
                    event_name,
                    context,
                    publication=publication,
                    verification_id=verification.id,
                    consumer_id=verification.consumer_id,
                )
    session.flush()
    return queued


def emit_verifications_published(
    session: Session, verifications: Sequence[Verification], *, base_url: str
) -> list[TriggeredWebhook]:
    """:func:`emit_verification_published` for each of many results of one provider version
    (a provider contract's comparisons), after one query that usually finds no webhook
    listening to verification events for the provider, so 200 results cost one statement."""
    if not verifications:
        return []
    provider_ids = {v.provider_id for v in verifications}
    listening = session.scalars(
        select(Webhook.events).where(
            Webhook.enabled.is_(True),
            or_(Webhook.provider_id.is_(None), Webhook.provider_id.in_(provider_ids)),
        )
    ).all()
    if not any(set(names) & events.VERIFICATION_EVENTS for names in listening):
        return []
    queued: list[TriggeredWebhook] = []
    for verification in verifications:
        queued += emit_verification_published(session, verification, base_url=base_url)
    return queued
