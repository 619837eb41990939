"""A provider's pacts by consumer branch: every version on a branch, or each consumer's latest.

These answer the Pact Broker's branch pact lists (``pb:provider-pacts-with-main-branch``,
``pb:provider-pacts-with-branch``, their ``latest`` forms, and the per-consumer lists), which
``pact broker get-pacts`` reads. "On a branch" means the consumer version belongs to the branch;
without a branch name each consumer's own main branch is meant. "Latest" keeps, per consumer,
the pact of its newest version on the branch that has a pact with the provider (the branch head
itself may not have published one).
"""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    Version,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.pacts.pacts import PactRef

__all__ = ["pacts_on_branch"]


def pacts_on_branch(
    session: Session,
    provider_name: str,
    *,
    consumer_name: str | None = None,
    branch: str | None = None,
    latest: bool = False,
) -> list[PactRef]:
    """The current pacts for ``provider_name`` of consumer versions on ``branch`` (each
    consumer's main branch when ``None``), of one consumer if named; only each consumer's
    newest with ``latest``. Sorted by consumer name, newest version first; an unknown
    provider or consumer is a 404."""
    provider = get_pacticipant(session, provider_name, "provider")
    consumer = aliased(Pacticipant)
    query: Select[PactPublication, PactVersion, Version, Pacticipant] = (
        select(PactPublication, PactVersion, Version, consumer)
        .select_from(LatestPactPublication)
        .join(PactPublication, PactPublication.id == LatestPactPublication.pact_publication_id)
        .join(PactVersion, PactVersion.id == LatestPactPublication.pact_version_id)
        .join(Version, Version.id == LatestPactPublication.consumer_version_id)
        .join(consumer, consumer.id == LatestPactPublication.consumer_id)
        .join(BranchVersion, BranchVersion.version_id == Version.id)
        .join(Branch, Branch.id == BranchVersion.branch_id)
        .where(
            LatestPactPublication.provider_id == provider.id,
            Branch.name == (consumer.main_branch if branch is None else branch),
        )
        .order_by(consumer.name, LatestPactPublication.consumer_version_order.desc())
    )
    if consumer_name is not None:
        only = get_pacticipant(session, consumer_name, "consumer")
        query = query.where(LatestPactPublication.consumer_id == only.id)
    refs: list[PactRef] = []
    for publication, pact_version, version, found_consumer in session.execute(query).all():
        if latest and refs and refs[-1].consumer.id == found_consumer.id:
            continue
        refs.append(PactRef(found_consumer, provider, version, publication, pact_version))
    return refs
