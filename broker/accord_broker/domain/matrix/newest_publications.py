"""The newest publications a page of every matrix row starts from (issue #20).

Without ``latestby`` a page is built from the newest ``limit`` publications (every revision)
of the selected consumer versions (``every_row``). Asked as one ``consumer_id IN (…) AND
provider_id IN (…) ORDER BY created_at`` for two pacticipants, that order cannot be read from
one index, so the database read and sorted every publication of the pair: 6,000 for the
benchmark's hot pair at full size, growing with the history. So each consumer meant with
every version, or with a large branch or a whole tag, is walked on its own, newest first
(index ``(consumer_id, created_at, id)``), and stops after a page, the branch's or tag's
membership tested row by row; selected versions (and a small branch's few) are looked up by
key. The database keeps the newest ``limit`` of these candidates: the same publications, in
the same order, as the one sorted read.
"""

from collections.abc import Callable
from datetime import datetime
from functools import cache, partial
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    false,
    literal_column,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import aliased

from accord_broker.db.models import Pacticipant, PactPublication
from accord_broker.domain.matrix.sides import (
    SideShape,
    member_of_branches,
    member_of_tags,
    on_branches,
)

_PP = PactPublication


class PublicationsShape(SideShape, Protocol):
    """The kinds of consumer selectors a question between several selectors has."""

    @property
    def small_branches(self) -> bool: ...


def _limit() -> Any:
    return bindparam("limit", type_=Integer)


def _between_selected(publication: Any) -> list[ColumnElement[bool]]:
    """Pacts between the selected pacticipants (``all_ids``) with a specified one on a side."""
    specified: Any = bindparam("specified_ids", expanding=True)
    return [
        publication.provider_id.in_(bindparam("all_ids", expanding=True)),
        or_(publication.consumer_id.in_(specified), publication.provider_id.in_(specified)),
    ]


def _columns(publication: Any) -> Select[int, int, datetime]:
    return select(publication.id, publication.pact_version_id, publication.created_at)


Member = Callable[[Any], ColumnElement[bool]]
"""Whether a version is on the bound branches, or carries the bound tags (``sides``)."""


def _walked(consumers: str, lateral: bool, member: Member | None) -> Select[int, int, datetime]:
    """The newest ``limit`` publications of each consumer bound as ``consumers`` (of its
    versions on the bound branches or with the bound tags, with ``member``), each walk
    stopping after a page.
    PostgreSQL walks with ``LATERAL``; SQLite, which has none, looks the publications up by
    the ids a correlated ``IN`` subquery yields for each consumer."""
    walked = (
        select(Pacticipant.id)
        .where(Pacticipant.id.in_(bindparam(consumers, expanding=True)))
        .cte(f"{consumers}_walked")
    )
    publication = aliased(PactPublication)
    # a walked consumer is a specified selector's (an inferred selector always names a
    # destination; only a specified one keeps a branch whole): so only its providers are
    # tested, one predicate planners can estimate (with the redundant "or the provider is
    # specified", PostgreSQL expected a handful of rows and sorted all the consumer's pacts)
    # That predicate is tested, not driven from (``provider_id + 0``): through
    # ``(consumer_id, provider_id, …)`` PostgreSQL read and sorted every publication of the
    # pair (3,000 at the benchmark's full size) instead of walking ``(consumer_id,
    # created_at, id)`` newest first
    all_ids: Any = bindparam("all_ids", expanding=True)
    provider: Any = publication.provider_id + literal_column("0")
    criteria = [publication.consumer_id == walked.c.id, provider.in_(all_ids)]
    if member is not None:
        criteria.append(member(publication.consumer_version_id))
    newest = (
        select(publication.id)
        .where(*criteria)
        .order_by(publication.created_at.desc(), publication.id.desc())
        .limit(_limit())
    )
    if lateral:
        found = newest.lateral("newest")
        return _columns(_PP).select_from(walked).join(found, true()).join(_PP, _PP.id == found.c.id)
    return _columns(_PP).select_from(walked).join(_PP, _PP.id.in_(newest.correlate(walked)))


def _looked_up(shape: PublicationsShape) -> Select[int, int, datetime] | None:
    """The newest ``limit`` publications of the selected versions and of the versions of
    small branches: read through those versions (a few each)."""
    criteria: list[ColumnElement[bool]] = []
    if shape.versions:
        criteria.append(_PP.consumer_version_id.in_(bindparam("c_versions", expanding=True)))
    if shape.branches and shape.small_branches:
        criteria.append(on_branches(_PP.consumer_version_id, "c"))
    if not criteria:
        return None
    query = _columns(_PP).where(or_(*criteria), *_between_selected(_PP))
    return query.order_by(_PP.created_at.desc(), _PP.id.desc()).limit(_limit())


@cache
def newest_publications_statement(
    shape: PublicationsShape, lateral: bool
) -> Select[int, int, datetime]:
    """(id, pact version, created at) of the newest ``limit`` publications between several
    selectors, newest first (the module docstring says how they are read)."""
    parts: list[Select[int, int, datetime]] = []
    if shape.name_only:
        parts.append(_walked("c_name_only", lateral, None))
    if shape.branches and not shape.small_branches:
        on_branch = partial(member_of_branches, prefix="c")
        parts.append(_walked("c_branch_owners", lateral, on_branch))
    if shape.tags:
        tagged = partial(member_of_tags, prefix="c", count=shape.tags)
        parts.append(_walked("c_tag_owners", lateral, tagged))
    looked_up = _looked_up(shape)
    if looked_up is not None:
        if not parts:
            return looked_up
        parts.append(select(looked_up.subquery("looked_up")))
    if not parts:
        return _columns(_PP).where(false()).limit(_limit())
    found: Any = union(*parts).subquery("candidates") if len(parts) > 1 else parts[0].subquery()
    return (
        select(found.c.id, found.c.pact_version_id, found.c.created_at)
        .order_by(found.c.created_at.desc(), found.c.id.desc())
        .limit(_limit())
    )
