"""The newest consumer version on a branch, or with a tag, that has a pact with a provider.

"Latest on a branch" (``…/branch/{b}/latest``, the latest branch lists, ``…/branch/latest``)
and "latest with a tag" (``…/latest/{tag}``) mean: of the consumer's versions on the branch
(with the tag), newest first, the first one that published a pact for the provider (the
newest version itself may not have). Each is one backwards walk of an ordered index
(``ix_branch_versions_branch_id_version_order``, ``ix_tags_pacticipant_id_name_version_order``)
probing ``latest_pact_publications`` by primary key, stopping at the first hit, so the cost
follows the distance to the newest pact, not the length of the branch or the tag's history.

The shapes are deliberate (issue #20, PostgreSQL's generic plans). A branch is named by its
id, taken from a scalar subquery (one seek of ``branches``' unique ``(pacticipant_id, name)``
key): when ``branches`` was joined instead, the index order could not be carried through the
join and every version of the branch was sorted before one was taken (7 to 57 ms at 3,000
versions). The pact is looked up by ``consumer_version_id = (this subquery)`` rather than
joined to ``tags`` or ``branch_versions``, which sorted all of the consumer's tagged or
branch versions in the same way.

Each walk first asks whether the pair has any current pact at all (one seek of the pair's
index): for a consumer without one the walk reads nothing (issue #20: ``…/branch/main/latest``
for such a pair read all 2,250 versions of ``main``). A lower bound on the walk (the pair's
oldest pact) would end it sooner for a pair whose pacts are on other lines, but PostgreSQL's
generic plan turned the bounded walk into a range scan of the branch
(``tests/broker/test_branch_pact_plans.py``). The question is a ``CASE`` around the walk, not
a term of its ``WHERE``: SQLite tests an uncorrelated ``WHERE`` term inside the walk's loop.
"""

from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    SQLColumnExpression,
    and_,
    case,
    exists,
    select,
)
from sqlalchemy.orm import aliased

from accord_broker.db.models import Branch, BranchVersion, LatestPactPublication, Tag

__all__ = ["newest_tagged_version_with_pact", "newest_version_with_pact_on_branch"]


_NAMED, _ON_BRANCH, _TAGGED = aliased(Branch), aliased(BranchVersion), aliased(Tag)
_BRANCH_PACT, _TAG_PACT = aliased(LatestPactPublication), aliased(LatestPactPublication)
_ANY_PACT = aliased(LatestPactPublication)
"""The walks' aliases, made once: making an alias costs more than the walk costs to run, and
these statements are built for every request that asks for a line's newest pact."""


def _if_pair_has_pact(
    provider_id: Any, consumer_id: SQLColumnExpression[Any] | int, walk: ScalarSelect[int]
) -> ColumnElement[int]:
    """``walk`` when the pair has a current pact (one probe of the pair's index), else NULL
    without walking."""
    has_pact = exists(
        select(_ANY_PACT.consumer_version_id)
        .where(_ANY_PACT.provider_id == provider_id, _ANY_PACT.consumer_id == consumer_id)
        .correlate_except(_ANY_PACT)
    )
    return case((has_pact, walk))


def newest_version_with_pact_on_branch(
    provider_id: Any,
    consumer_id: SQLColumnExpression[Any] | int,
    branch_name: SQLColumnExpression[Any] | str,
) -> ColumnElement[int]:
    """The id of the consumer's newest version on ``branch_name`` with a current pact for
    ``provider_id`` (``NULL`` when none). ``consumer_id`` and ``branch_name`` may be columns of
    an enclosing query's consumer (each consumer's own main branch); the subquery correlates."""
    named, on_branch, current = _NAMED, _ON_BRANCH, _BRANCH_PACT
    branch_id = (
        select(named.id)
        .where(named.pacticipant_id == consumer_id, named.name == branch_name)
        .correlate_except(named)  # a consumer of the enclosing query, however deep
        .scalar_subquery()
    )
    walk = (
        select(on_branch.version_id)
        .join(
            current,
            and_(
                current.consumer_version_id == on_branch.version_id,
                current.provider_id == provider_id,
            ),
        )
        .where(
            on_branch.branch_id == branch_id,
        )
        .order_by(on_branch.version_order.desc())
        .limit(1)
        .correlate_except(on_branch, current)
        .scalar_subquery()
    )
    return _if_pair_has_pact(provider_id, consumer_id, walk)


def newest_tagged_version_with_pact(
    provider_id: Any,
    consumer_id: SQLColumnExpression[Any] | int,
    tag: SQLColumnExpression[Any] | str,
) -> ColumnElement[int]:
    """The id of the consumer's newest version tagged ``tag`` with a current pact for
    ``provider_id`` (``NULL`` when none)."""
    tagged, current = _TAGGED, _TAG_PACT
    walk = (
        select(tagged.version_id)
        .join(
            current,
            and_(
                current.consumer_version_id == tagged.version_id,
                current.provider_id == provider_id,
            ),
        )
        .where(
            tagged.pacticipant_id == consumer_id,
            tagged.name == tag,
        )
        .order_by(tagged.version_order.desc())
        .limit(1)
        .correlate_except(tagged, current)
        .scalar_subquery()
    )
    return _if_pair_has_pact(provider_id, consumer_id, walk)
