"""A provider's pacts by consumer branch: every version on a branch, or each consumer's latest.

These answer the Pact Broker's branch pact lists (``pb:provider-pacts-with-main-branch``,
``pb:provider-pacts-with-branch``, their ``latest`` forms, and the per-consumer lists), which
``pact broker get-pacts`` reads. "On a branch" means the consumer version belongs to the branch;
without a branch name each consumer's own main branch is meant. "Latest" keeps, per consumer,
the pact of its newest version on the branch that has a pact with the provider (the branch head
itself may not have published one).
"""

from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    Integration,
    LatestPactPublication,
    Pacticipant,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.pacts.pact_lists import (
    LISTED_CONSUMER,
    PactListing,
    listing_columns,
    listings,
)
from accord_broker.domain.pacts.pacts import PactRef, pact_for_version
from accord_broker.errors import BrokerNotFoundError

__all__ = ["latest_main_branch_pact", "pacts_on_branch"]


def pacts_on_branch(
    session: Session,
    provider_name: str,
    *,
    consumer_name: str | None = None,
    branch: str | None = None,
    latest: bool = False,
) -> list[PactListing]:
    """The current pacts for ``provider_name`` of consumer versions on ``branch`` (each
    consumer's main branch when ``None``), of one consumer if named; only each consumer's
    newest with ``latest``. Sorted by consumer name, newest version first; an unknown
    provider or consumer is a 404.

    With ``latest`` the walk starts from ``integrations``: per consumer, the branch row, then
    its versions newest first (``branch_versions`` by branch and order) until one has a pact
    with the provider, an ordered ``LIMIT 1`` whose cost does not follow the branch's length.
    Without it every pact on the branch is listed: one statement, listing columns only."""
    provider = get_pacticipant(session, provider_name, "provider")
    consumer = LISTED_CONSUMER
    only = None if consumer_name is None else get_pacticipant(session, consumer_name, "consumer")
    query = listing_columns().where(LatestPactPublication.provider_id == provider.id)
    if latest:
        query = query.where(
            LatestPactPublication.consumer_version_id.in_(_branch_heads(provider.id, branch, only))
        )
    else:
        query = (
            query.join(
                BranchVersion,
                BranchVersion.version_id == LatestPactPublication.consumer_version_id,
            )
            .join(Branch, Branch.id == BranchVersion.branch_id)
            .where(Branch.name == (consumer.main_branch if branch is None else branch))
        )
    if only is not None and not latest:  # with latest, the heads are already only's
        query = query.where(LatestPactPublication.consumer_id == only.id)
    ordered = query.order_by(consumer.name, LatestPactPublication.consumer_version_order.desc())
    return listings(session, ordered)


def _branch_heads(provider_id: int, branch: str | None, only: Pacticipant | None) -> Select[Any]:
    """Per consumer of the provider: its newest version on the branch with a pact for it."""
    owner = aliased(Pacticipant)
    on_branch = aliased(BranchVersion)
    named = aliased(Branch)
    current = aliased(LatestPactPublication)
    newest = (
        select(on_branch.version_id)
        .join(named, named.id == on_branch.branch_id)
        .join(
            current,
            and_(
                current.consumer_version_id == on_branch.version_id,
                current.provider_id == provider_id,
            ),
        )
        .where(
            named.pacticipant_id == owner.id,
            named.name == (owner.main_branch if branch is None else branch),
        )
        .order_by(on_branch.version_order.desc())
        .limit(1)
        .correlate(owner)
        .scalar_subquery()
    )
    heads = (
        select(newest)
        .select_from(Integration)
        .join(owner, owner.id == Integration.consumer_id)
        .where(Integration.provider_id == provider_id)
    )
    if only is not None:
        heads = heads.where(Integration.consumer_id == only.id)
    return heads


def latest_main_branch_pact(session: Session, provider: str, consumer: str) -> PactRef:
    """The newest pact of the consumer's main branch with the provider (404 when none): the
    branch head walk of :func:`pacts_on_branch`, then that one pact with its content."""
    newest = pacts_on_branch(session, provider, consumer_name=consumer, latest=True)
    if not newest:
        raise BrokerNotFoundError(
            f"No pact between {consumer} and {provider} on {consumer}'s main branch found"
        )
    return pact_for_version(session, provider, consumer, newest[0].consumer_version_number)
