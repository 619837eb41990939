"""The pacts a page of matrix rows (``latestby``) between several selectors starts from: the
newest ``inner_limit`` current pacts of the selected consumer versions with the selected
pacticipants (issue #20).

``provider_id IN (…) ORDER BY created_at`` cannot be read in order from one index: it read and
sorted every pact of the pair or branch. So a consumer meant with every version, or with a
large branch or a whole tag (always large: ``whole_tag``), is walked provider by provider,
newest first (index ``(provider_id, created_at)``), each walk stopping after a page, the
branch's or tag's membership tested row by row. Only the providers such a consumer has an
integration with are walked: a branch of a pacticipant that is only ever a provider met none
of its providers' pacts, and its walk read every one of them. Selected versions, and the
versions of small branches, are looked up by key, each kind on its own (as one ``OR``, the
branch's subquery could not drive the lookup). The newest ``inner_limit`` of these
candidates, with every pact tied with the last of them (``ties``), are the page's pacts.
"""

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    false,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy import union as union_of

from accord_broker.db.models import Integration, LatestPactPublication, Pacticipant
from accord_broker.domain.matrix.sides import (
    SideShape,
    member_of_branches,
    member_of_tags,
    on_branches,
)
from accord_broker.domain.matrix.ties import limit_parameter, newest_with_ties

_P = LatestPactPublication

Builder = Callable[[Any], Select[Any]]
"""Candidate pacts read from the given alias of ``latest_pact_publications``."""


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
    return limit_parameter("inner_limit")


def _dated(pact: Any) -> Any:
    return pact.created_at


def _walked_consumers(shape: PactsShape, consumer: Any) -> list[ColumnElement[bool]]:
    """``consumer`` is meant with every version (``c_name_only``), owns a large branch
    (``c_branch_owners``) or a whole tag (``c_tag_owners``)."""
    criteria = []
    if shape.name_only:
        criteria.append(consumer.in_(bindparam("c_name_only", expanding=True)))
    if shape.branches and not shape.small_branches:
        criteria.append(consumer.in_(bindparam("c_branch_owners", expanding=True)))
    if shape.tags:
        criteria.append(consumer.in_(bindparam("c_tag_owners", expanding=True)))
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

    def build(pact: Any) -> Select[Any]:
        consumer_side: list[ColumnElement[bool]] = []
        if shape.name_only:
            # tested, not driven from: through ``(consumer_id)`` PostgreSQL read and sorted
            # every pact of the consumer (6,000 for the benchmark's hot pair at full size)
            consumer: Any = pact.consumer_id + literal_column("0")
            consumer_side.append(consumer.in_(bindparam("c_name_only", expanding=True)))
        if shape.branches and not shape.small_branches:
            consumer_side.append(member_of_branches(pact.consumer_version_id, "c"))
        if shape.tags:
            consumer_side.append(member_of_tags(pact.consumer_version_id, "c", shape.tags))
        return select(pact.pact_publication_id).where(
            pact.provider_id == walked.c.id, or_(*consumer_side)
        )

    newest = newest_with_ties(
        LatestPactPublication,
        build,
        _dated,
        _inner_limit(),
        postgresql=shape.lateral,
        walk=True,
        correlate=(walked,),
    )
    query = select(*pact_columns()).select_from(walked)
    if shape.lateral:
        found = newest.lateral("newest_pacts")
        return query.join(found, true()).join(
            _P, _P.pact_publication_id == found.c.pact_publication_id
        )
    return query.join(_P, _P.pact_publication_id.in_(newest.correlate(walked)))


def _looked_up(shape: PactsShape) -> list[Builder]:
    """The pacts, with the selected pacticipants, of the selected versions and of the versions
    of small branches: each read through those versions (a handful, or at most
    ``SMALL_BRANCH``), one lookup apiece. Asked as one ``IN (…) OR IN (subquery)``, the
    branch's subquery could only be tested, not driven from: PostgreSQL read every pact of
    the providers (12,000 for a feature branch at the benchmark's full size)."""
    all_ids: Any = bindparam("all_ids", expanding=True)
    lookups: list[Builder] = []
    if shape.versions:
        versions: Any = bindparam("c_versions", expanding=True)
        lookups.append(
            lambda pact: select(*pact_columns(pact)).where(
                pact.consumer_version_id.in_(versions), pact.provider_id.in_(all_ids)
            )
        )
    if shape.branches and shape.small_branches:
        lookups.append(
            lambda pact: select(*pact_columns(pact)).where(
                on_branches(pact.consumer_version_id, "c"), pact.provider_id.in_(all_ids)
            )
        )
    return lookups


def newest_pacts(shape: PactsShape) -> Any:
    """The page's pacts as the CTE ``p`` (``pact_columns``); the module docstring says how
    they are read."""
    looked_up = _looked_up(shape)
    walks = bool(_walked_consumers(shape, _P.consumer_id))
    if not walks and len(looked_up) == 1:
        newest = newest_with_ties(
            _P, looked_up[0], _dated, _inner_limit(), postgresql=shape.lateral, walk=False
        )
        return newest.cte("p")
    parts: list[Select[*tuple[Any, ...]]] = [_walked(shape)] if walks else []
    parts += [build(_P) for build in looked_up]
    if not parts:
        return select(*pact_columns()).where(false()).cte("p")
    # SQLite reads the candidates twice (``ties``): as a CTE, they are found once
    found_in: Any = union_of(*parts) if len(parts) > 1 else parts[0]
    found = found_in.subquery("found") if shape.lateral else found_in.cte("candidates")
    newest = newest_with_ties(
        found,
        select,
        lambda f: f.c.pact_created_at,
        _inner_limit(),
        postgresql=shape.lateral,
        walk=False,
    )
    return newest.cte("p")
