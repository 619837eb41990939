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
"""

from typing import Any

from sqlalchemy import ScalarSelect, SQLColumnExpression, and_, select
from sqlalchemy.orm import aliased

from accord_broker.db.models import Branch, BranchVersion, LatestPactPublication, Tag

__all__ = ["newest_tagged_version_with_pact", "newest_version_with_pact_on_branch"]


def newest_version_with_pact_on_branch(
    provider_id: Any,
    consumer_id: SQLColumnExpression[Any] | int,
    branch_name: SQLColumnExpression[Any] | str,
) -> ScalarSelect[int]:
    """The id of the consumer's newest version on ``branch_name`` with a current pact for
    ``provider_id`` (``NULL`` when none). ``consumer_id`` and ``branch_name`` may be columns of
    an enclosing query's consumer (each consumer's own main branch); the subquery correlates."""
    named = aliased(Branch)
    on_branch = aliased(BranchVersion)
    current = aliased(LatestPactPublication)
    branch_id = (
        select(named.id)
        .where(named.pacticipant_id == consumer_id, named.name == branch_name)
        .correlate_except(named)  # a consumer of the enclosing query, however deep
        .scalar_subquery()
    )
    return (
        select(on_branch.version_id)
        .join(
            current,
            and_(
                current.consumer_version_id == on_branch.version_id,
                current.provider_id == provider_id,
            ),
        )
        .where(on_branch.branch_id == branch_id)
        .order_by(on_branch.version_order.desc())
        .limit(1)
        .correlate_except(on_branch, current)
        .scalar_subquery()
    )


def newest_tagged_version_with_pact(
    provider_id: Any,
    consumer_id: SQLColumnExpression[Any] | int,
    tag: SQLColumnExpression[Any] | str,
) -> ScalarSelect[int]:
    """The id of the consumer's newest version tagged ``tag`` with a current pact for
    ``provider_id`` (``NULL`` when none)."""
    tagged = aliased(Tag)
    current = aliased(LatestPactPublication)
    return (
        select(tagged.version_id)
        .join(
            current,
            and_(
                current.consumer_version_id == tagged.version_id,
                current.provider_id == provider_id,
            ),
        )
        .where(tagged.pacticipant_id == consumer_id, tagged.name == tag)
        .order_by(tagged.version_order.desc())
        .limit(1)
        .scalar_subquery()
    )
