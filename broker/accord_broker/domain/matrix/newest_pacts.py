"""The pacts a page of matrix rows (``latestby``) between several selectors starts from: the
newest ``inner_limit`` current pacts of the selected consumer versions with the selected
pacticipants (issue #20).

``provider_id IN (…) ORDER BY created_at`` cannot be read in order from one index: it read and
sorted every pact of the pair or branch. So a consumer meant with every version, or with a
large branch, is walked provider by provider, newest first (index ``(provider_id,
created_at)``), each walk stopping after a page, a large branch's membership tested row by row.
Only the providers such a consumer has an integration with are walked: a branch of a
pacticipant that is only ever a provider met none of its providers' pacts, and its walk read
every one of them. Selected versions (and the versions of small branches) are looked up by key.
The newest ``inner_limit`` of these candidates are the page's pacts.
"""

from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    false,
    or_,
    select,
    true,
)
from sqlalchemy import union as union_of
from sqlalchemy.orm import aliased

from accord_broker.db.models import Integration, LatestPactPublication, Pacticipant
from accord_broker.domain.matrix.sides import SideShape, member_of_branches, on_branches

_P = LatestPactPublication


class PactsShape(SideShape, Protocol):
    """The kinds of consumer selectors of a question, and how the database reads a walk."""

    @property
    def small_branches(self) -> bool: ...

    @property
    def lateral(self) -> bool: ...


def pact_columns(pact: Any = _P) -> list[ColumnElement[Any]]:
    """A matrix row's pact columns, as the row statements name them."""
    return [
        pact.consumer_id.label("consumer_id"),
        pact.provider_id.label("provider_id"),
        pact.consumer_version_id.label("consumer_version_id"),
        pact.pact_publication_id.label("pact_publication_id"),
        pact.pact_version_id.label("pact_version_id"),
        pact.created_at.label("pact_created_at"),
    ]


def _inner_limit() -> Any:
    return bindparam("inner_limit", type_=Integer)


def _walked_consumers(shape: PactsShape, consumer: Any) -> list[ColumnElement[bool]]:
    """``consumer`` is meant with every version (``c_name_only``) or owns a large branch
    (``c_branch_owners``)."""
    criteria = []
    if shape.name_only:
        criteria.append(consumer.in_(bindparam("c_name_only", expanding=True)))
    if shape.branches and not shape.small_branches:
        criteria.append(consumer.in_(bindparam("c_branch_owners", expanding=True)))
    return criteria


def _walked(shape: PactsShape) -> Select[*tuple[Any, ...]]:
    """The newest ``inner_limit`` pacts, per selected provider, of the consumers meant with
    every version or with a large branch. PostgreSQL walks with ``LATERAL``; SQLite, which has
    none, looks the pacts up by the ids a correlated ``IN`` subquery yields per provider."""
    integrated = (
        select(Integration.id)
        .where(
            Integration.provider_id == Pacticipant.id,
            or_(*_walked_consumers(shape, Integration.consumer_id)),
        )
        .exists()
    )
    all_ids: Any = bindparam("all_ids", expanding=True)
    providers = select(Pacticipant.id).where(Pacticipant.id.in_(all_ids), integrated)
    walked = providers.cte("providers")
    pact = aliased(LatestPactPublication)
    consumer_side: list[ColumnElement[bool]] = []
    if shape.name_only:
        consumer_side.append(pact.consumer_id.in_(bindparam("c_name_only", expanding=True)))
    if shape.branches and not shape.small_branches:
        consumer_side.append(member_of_branches(pact.consumer_version_id, "c"))
    newest = (
        select(pact.pact_publication_id)
        .where(pact.provider_id == walked.c.id, or_(*consumer_side))
        .order_by(pact.created_at.desc())
        .limit(_inner_limit())
    )
    query = select(*pact_columns()).select_from(walked)
    if shape.lateral:
        found = newest.lateral("newest_pacts")
        return query.join(found, true()).join(
            _P, _P.pact_publication_id == found.c.pact_publication_id
        )
    return query.join(_P, _P.pact_publication_id.in_(newest.correlate(walked)))


def _looked_up(shape: PactsShape) -> Select[*tuple[Any, ...]] | None:
    """The newest ``inner_limit`` pacts of the selected versions and of the versions of small
    branches, with the selected pacticipants: read through those versions."""
    criteria: list[ColumnElement[bool]] = []
    if shape.versions:
        criteria.append(_P.consumer_version_id.in_(bindparam("c_versions", expanding=True)))
    if shape.branches and shape.small_branches:
        criteria.append(on_branches(_P.consumer_version_id, "c"))
    if not criteria:
        return None
    all_ids: Any = bindparam("all_ids", expanding=True)
    query = select(*pact_columns()).where(or_(*criteria), _P.provider_id.in_(all_ids))
    return query.order_by(_P.created_at.desc()).limit(_inner_limit())


def newest_pacts(shape: PactsShape) -> Any:
    """The page's pacts as the CTE ``p`` (``pact_columns``); the module docstring says how
    they are read."""
    parts: list[Select[*tuple[Any, ...]]] = []
    if _walked_consumers(shape, _P.consumer_id):
        parts.append(_walked(shape))
    looked_up = _looked_up(shape)
    if looked_up is not None:
        if not parts:
            return looked_up.cte("p")
        parts.append(select(looked_up.subquery("looked_up")))
    if not parts:
        return select(*pact_columns()).where(false()).cte("p")
    found: Any = union_of(*parts).subquery("found") if len(parts) > 1 else parts[0].subquery()
    newest = select(found).order_by(found.c.pact_created_at.desc()).limit(_inner_limit())
    return newest.cte("p")
