"""A provider's pacts by consumer branch: every version on a branch, or each consumer's latest.

These answer the Pact Broker's branch pact lists (``pb:provider-pacts-with-main-branch``,
``pb:provider-pacts-with-branch``, their ``latest`` forms, and the per-consumer lists), which
``pact broker get-pacts`` reads. "On a branch" means the consumer version belongs to the branch;
without a branch name each consumer's own main branch is meant. "Latest" keeps, per consumer,
the pact of its newest version on the branch that has a pact with the provider (the branch head
itself may not have published one).
"""

from typing import Any

from sqlalchemy import ScalarSelect, Select, String, and_, func, literal, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    Integration,
    LatestPactPublication,
    Pacticipant,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant, get_pacticipants
from accord_broker.domain.pacts.newest_with_pact import newest_version_with_pact_on_branch
from accord_broker.domain.pacts.pact_lists import (
    LISTED_CONSUMER,
    Listed,
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

    With ``latest`` the walk starts from ``integrations``: per consumer, its versions on the
    branch newest first until one has a pact with the provider
    (:func:`.newest_with_pact.newest_version_with_pact_on_branch`), whose cost does not follow
    the branch's length. Without it every pact on the branch is listed in one statement,
    listing columns only. Of one consumer, the walk goes down the branch's versions to their
    pacts (:func:`_pair_on_branch`). Of every consumer, it is driven by the provider's pacts:
    each is probed in ``branch_versions`` by ``(version_id, branch_name)``. The branch name is
    an expression per consumer (the name asked, else the consumer's main branch) so that
    PostgreSQL probes per pact rather than reading every version of every pacticipant on a
    branch of that name (issue #20: 162,500 ``branch_versions`` rows walked for 4,500 pacts at
    full size)."""
    consumer = LISTED_CONSUMER
    only: Pacticipant | None = None
    if consumer_name is None:
        provider = get_pacticipant(session, provider_name, "provider")
    else:
        provider, only = get_pacticipants(
            session, (provider_name, "provider"), (consumer_name, "consumer")
        )
    if only is not None and not latest:
        named = branch if branch is not None else only.main_branch
        return [] if named is None else listings(session, _pair_on_branch(provider.id, only, named))
    query = listing_columns().where(LatestPactPublication.provider_id == provider.id)
    if latest:
        query = query.where(
            LatestPactPublication.consumer_version_id.in_(_branch_heads(provider.id, branch, only))
        )
    else:
        asked = func.coalesce(literal(branch, String), consumer.main_branch)
        query = query.join(
            BranchVersion,
            and_(
                BranchVersion.version_id == LatestPactPublication.consumer_version_id,
                BranchVersion.branch_name == asked,
            ),
        )
    ordered = query.order_by(consumer.name, LatestPactPublication.consumer_version_order.desc())
    return listings(session, ordered)


_PAIR_PACT = aliased(LatestPactPublication, name="pair_pact")


def _pair_order(provider_id: int, consumer_id: int, *, newest: bool) -> ScalarSelect[int]:
    """The order of the consumer version of the pair's oldest (or newest) current pact: the
    first entry of ``ix_latest_pact_publications_provider_consumer_order`` (``NULL`` when the
    pair has no pact)."""
    order = _PAIR_PACT.consumer_version_order
    return (
        select(order)
        .where(_PAIR_PACT.provider_id == provider_id, _PAIR_PACT.consumer_id == consumer_id)
        .order_by(order.desc() if newest else order)
        .limit(1)
        .scalar_subquery()
    )


def _pair_on_branch(provider_id: int, consumer: Pacticipant, branch: str) -> Listed:
    """The pair's current pacts of consumer versions on the consumer's ``branch``, newest
    first: down the branch's versions (``ix_branch_versions_branch_id_version_order``,
    backwards, the branch found by a unique-key seek) to each one's pact with the provider (a
    primary-key probe of ``latest_pact_publications``).

    Walked from the pair's pacts instead, a short feature branch cost every pact of the pair
    (issue #20: 15 pacts for 3,000 pacts probed at the benchmark's full size). The branch walk
    is bounded by the orders of the pair's oldest and newest pacts (no version outside them has
    one), so a long branch costs little for a pair with few pacts, and nothing for a pair that
    has none."""
    on_branch = (
        select(Branch.id)
        .where(Branch.pacticipant_id == consumer.id, Branch.name == branch)
        .scalar_subquery()
    )
    return (
        listing_columns()
        .join(BranchVersion, BranchVersion.version_id == LatestPactPublication.consumer_version_id)
        .where(
            BranchVersion.branch_id == on_branch,
            BranchVersion.version_order >= _pair_order(provider_id, consumer.id, newest=False),
            BranchVersion.version_order <= _pair_order(provider_id, consumer.id, newest=True),
            LatestPactPublication.provider_id == provider_id,
        )
        .order_by(BranchVersion.version_order.desc())
    )


def _branch_heads(provider_id: int, branch: str | None, only: Pacticipant | None) -> Select[Any]:
    """Per consumer of the provider: its newest version on the branch with a pact for it."""
    owner = aliased(Pacticipant)
    newest = newest_version_with_pact_on_branch(
        provider_id, owner.id, owner.main_branch if branch is None else branch
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
