"""Executing a webhook by hand (``test-webhook``): with the latest matching pact and
verification, event name ``test``, at once and without queueing."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    Verification,
)
from accord_broker.domain.pacticipants.pacticipants import find_pacticipant
from accord_broker.domain.webhooks import events
from accord_broker.domain.webhooks.definition import Scope, WebhookDefinition
from accord_broker.domain.webhooks.parameters import (
    latest_verification_of,
    pact_facts,
    template_values,
    verification_facts,
)
from accord_broker.domain.webhooks.templates import RenderedRequest, render_request


def _scope_id(session: Session, scope: Scope | None) -> int | None:
    if scope is None or scope.name is None:
        return None
    found: Pacticipant | None = find_pacticipant(session, scope.name)
    return found.id if found is not None else -1


def render_for_test(
    session: Session, definition: WebhookDefinition, base_url: str
) -> RenderedRequest:
    """The request ``definition`` would send now, for its latest pact (and verification)."""
    consumer_id = _scope_id(session, definition.consumer)
    provider_id = _scope_id(session, definition.provider)
    query = select(PactPublication).join(
        LatestPactPublication, LatestPactPublication.pact_publication_id == PactPublication.id
    )
    if consumer_id is not None:
        query = query.where(LatestPactPublication.consumer_id == consumer_id)
    if provider_id is not None:
        query = query.where(LatestPactPublication.provider_id == provider_id)
    publication = session.scalar(
        query.order_by(LatestPactPublication.created_at.desc(), PactPublication.id.desc()).limit(1)
    )
    verification = None
    if publication is not None:
        if set(definition.events) & events.VERIFICATION_EVENTS:
            verification = session.scalar(
                select(Verification)
                .where(
                    Verification.consumer_id == publication.consumer_id,
                    Verification.provider_id == publication.provider_id,
                )
                .order_by(Verification.id.desc())
                .limit(1)
            )
        else:
            verification = latest_verification_of(session, publication.pact_version_id)
    values = template_values(
        base_url,
        pact_facts(session, publication) if publication is not None else None,
        verification_facts(session, verification) if verification is not None else None,
        {"base_url": base_url, "event_name": events.TEST},
    )
    return render_request(definition.request, values)
