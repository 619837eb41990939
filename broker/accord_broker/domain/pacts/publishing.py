"""Publishing pacts as the routes ask for it: the write and the webhooks it raises, in one call.

A publication and the events it queues belong to one transaction (a webhook must never fire for
a pact that was rolled back, nor be lost for one that was stored), so the domain owns both; the
routes parse, call one of these functions inside their unit of work, and render the result.
"""

from dataclasses import dataclass
from typing import Any

from accord_broker.domain.pacticipants.pacticipants import find_or_create_pacticipant
from accord_broker.domain.pacts.contracts import (
    ContractsPublished,
    PublishContractsRequest,
    publish_contracts,
)
from accord_broker.domain.pacts.pacts import PactRef
from accord_broker.domain.pacts.publication import PublishOutcome, publish_pact
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.versions.tag_effects import TagEffects
from accord_broker.domain.versions.versions import find_or_create_version
from accord_broker.domain.webhooks import emit_pact_published


def publish_contracts_announced(
    session: Session,
    request: PublishContractsRequest,
    *,
    allow_modification: bool,
    effects: TagEffects,
    base_url: str,
) -> ContractsPublished:
    """``POST /contracts/publish``: store every contract and queue each one's webhooks."""
    result = publish_contracts(
        session, request, allow_modification=allow_modification, effects=effects
    )
    for _contract, _provider, published in result.results:
        emit_pact_published(
            session,
            published,
            base_url=base_url,
            # As the Pact Broker: a publish body without a branch says the branch is ""
            # (not the version's branch from an earlier publication).
            consumer_version_branch=request.branch or "",
            build_url=request.build_url,
        )
    return result


@dataclass(frozen=True, slots=True)
class PactPut:
    """What the older per-pact ``PUT`` stored: the pact and whether it is new."""

    ref: PactRef
    created: bool


def put_pact_announced(
    session: Session,
    *,
    consumer: str,
    provider: str,
    number: str,
    pact: dict[str, Any],
    text: str,
    allow_modification: bool,
    base_url: str,
) -> PactPut:
    """The older ``PUT …/version/{n}``: pacticipants and version created as needed, the pact
    stored, its webhooks queued."""
    cons = find_or_create_pacticipant(session, consumer)
    prov = find_or_create_pacticipant(session, provider)
    version, _ = find_or_create_version(session, cons, number)
    published = publish_pact(
        session, version, prov, pact, text=text, allow_modification=allow_modification
    )
    emit_pact_published(session, published, base_url=base_url)
    ref = PactRef(cons, prov, version, published.publication, published.pact_version)
    return PactPut(ref, published.outcome is PublishOutcome.CREATED)
