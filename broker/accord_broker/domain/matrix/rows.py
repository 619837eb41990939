"""Matrix rows: each pact of a consumer version, joined to provider versions' verifications.

With ``latestby`` (every can-i-deploy question), rows come from the two cache tables (the current
pact per consumer version, the newest result per pact version and provider version), so the query
never scans history; without it, the Pact Broker lists every revision and every result, which
``every_row`` finds (its ``MatrixRow`` vs ``EveryRow``, broker.md §3.1). The verifications are
filtered to the selected provider versions *before* the left outer join: a pact verified only
by some other provider version then still yields a row, with no provider version and no result,
which is exactly what makes an integration "unknown" (broker.md §3.6).

A page never joins its pacts to *every* result of their content (``newest_results``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    LatestPactPublication,
    LatestVerification,
    Pacticipant,
    PactPublication,
    PactVersion,
    Verification,
    Version,
)
from accord_broker.domain.matrix.every_row import find_every_row
from accord_broker.domain.matrix.matrix_row import MatrixRow
from accord_broker.domain.matrix.newest_pacts import newest_pacts, pact_columns
from accord_broker.domain.matrix.newest_pacts_of_results import pacts_of_newest_results
from accord_broker.domain.matrix.newest_results import (
    Walk,
    any_result,
    pacts_with_newest_results,
    provider_guard,
)
from accord_broker.domain.matrix.query import MatrixOptions
from accord_broker.domain.matrix.resolve import (
    ResolvedSelector,
    selector_ids,
    versions_meant,
)
from accord_broker.domain.matrix.sides import (
    member_of_branches,
    member_of_tags,
    side_criteria,
    tag_params,
)
from accord_broker.domain.matrix.ties import limit_parameter, newest_with_ties

__all__ = ["MatrixRow", "find_rows"]


_P = LatestPactPublication
_V = LatestVerification


@dataclass(frozen=True, slots=True)
class _Shape:
    """What varies between matrix statements; each shape's statement is built once and cached
    (building SQLAlchemy statements costs more than running these indexed queries)."""

    one_selector: bool
    name_only: bool
    versions: bool
    limited: bool
    branches: bool = False
    small_branches: bool = True
    tags: int = 0
    """How many whole tags (``sides.tag_params``): always large (``whole_tag.SMALL_TAG``)."""
    lateral: bool = False
    """PostgreSQL reads each pact's newest results with ``LATERAL``; SQLite, which has none,
    with a correlated ``IN`` that drives the lookup by ``verification_id``."""


def _verification_columns(result: Any = _V) -> list[ColumnElement[Any]]:
    return [
        result.pact_version_id.label("v_pact_version_id"),
        result.provider_version_id.label("provider_version_id"),
        result.verification_id.label("verification_id"),
        result.created_at.label("verification_created_at"),
    ]


def _recent(query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    return query.order_by(_P.created_at.desc())


def _consumer_side(shape: _Shape, pact: Any = _P) -> ColumnElement[bool]:
    """The selected consumer versions' pacts; a large whole branch or a whole tag is tested,
    not driven from (the page is its newest pacts: see ``on_branches``)."""
    drive = shape.small_branches and not shape.tags
    return side_criteria(pact.consumer_id, pact.consumer_version_id, "c", shape, drive=drive)


def _provider_side(shape: _Shape, result: Any = _V) -> ColumnElement[bool]:
    return side_criteria(result.provider_id, result.provider_version_id, "v", shape)


def _walked(shape: _Shape) -> bool:
    """A large whole branch or a whole tag: its pacts are walked newest first, membership
    tested."""
    return (shape.branches and not shape.small_branches) or bool(shape.tags)


def _newest_of_consumer_side(shape: _Shape) -> Select[*tuple[Any, ...]]:
    """For a page: the one selector's newest ``inner_limit`` pacts (and their ties), walked
    newest first for a pacticipant's every version or a large branch, else looked up."""
    return newest_with_ties(
        _P,
        lambda pact: select(*pact_columns(pact)).where(_consumer_side(shape, pact)),
        lambda pact: pact.created_at,
        limit_parameter("inner_limit"),
        postgresql=shape.lateral,
        walk=shape.name_only or _walked(shape),
    )


def _newest_of_provider_side(shape: _Shape) -> Select[*tuple[Any, ...]]:
    """For a page: the one selector's newest ``inner_limit`` results (and their ties), as the
    provider: a provider may have verified thousands."""
    return newest_with_ties(
        _V,
        lambda result: select(*_verification_columns(result)).where(_provider_side(shape, result)),
        lambda result: result.created_at,
        limit_parameter("inner_limit"),
        postgresql=shape.lateral,
        walk=shape.name_only,
    )


def _limited_between_selectors(shape: _Shape) -> Select[*tuple[Any, ...]]:
    """``_row_ids_between_selectors`` for a page: the newest results per pact only."""
    specified_ids: Any = bindparam("specified_ids", expanding=True)
    newest = newest_pacts(shape)
    # Only pacts with a specified side make rows: kept out before they meet their results, so
    # the page's floor (``newest_results``) counts only rows that can be shown.
    pacts = (
        select(newest)
        .where(
            or_(newest.c.consumer_id.in_(specified_ids), newest.c.provider_id.in_(specified_ids))
        )
        .cte("shown")
    )
    # A content's results all have its consumer and provider (a pact version belongs to one
    # pair), and the page's pacts are all between selected pacticipants: so the walks test
    # only what the contents do not decide. Tested on the results too, the pacticipants let
    # PostgreSQL read every result of the pair from ``(provider_id, consumer_id, …)`` and
    # intersect it with the content's (10,000 entries per content at the benchmark's size).
    walks: list[Walk] = []
    if shape.name_only:
        names: Any = bindparam("v_name_only", expanding=True)
        walks.append((any_result, lambda contents: provider_guard(contents).in_(names)))
    if shape.branches:
        owners: Any = bindparam("v_branch_owners", expanding=True)
        walks.append(
            (
                lambda result: [member_of_branches(result.provider_version_id, "v")],
                lambda contents: provider_guard(contents).in_(owners),
            )
        )
    if shape.tags:
        tag_owners: Any = bindparam("v_tag_owners", expanding=True)
        walks.append(
            (
                lambda result: [member_of_tags(result.provider_version_id, "v", shape.tags)],
                lambda contents: provider_guard(contents).in_(tag_owners),
            )
        )

    def by_key(result: Any) -> list[ColumnElement[bool]]:
        versions: Any = bindparam("v_versions", expanding=True)
        return [result.provider_version_id.in_(versions)]

    rows = pacts_with_newest_results(
        shape.lateral, pacts, walks, by_key if shape.versions else None
    )
    return select(rows)


def _row_ids_between_selectors(shape: _Shape) -> Select[*tuple[Any, ...]]:
    """Rows between the selected versions only (several selectors, or inferred ones)."""
    if shape.limited:
        return _limited_between_selectors(shape)
    all_ids: Any = bindparam("all_ids", expanding=True)
    specified_ids: Any = bindparam("specified_ids", expanding=True)
    pacts = _recent(
        select(*pact_columns()).where(_consumer_side(shape), _P.provider_id.in_(all_ids))
    ).subquery("p")
    verifications = (
        select(*_verification_columns())
        .where(_provider_side(shape), _V.consumer_id.in_(all_ids))
        .subquery("v")
    )
    return (
        select(pacts, verifications.c.provider_version_id, verifications.c.verification_id)
        .add_columns(verifications.c.verification_created_at)
        .select_from(
            pacts.outerjoin(
                verifications, verifications.c.v_pact_version_id == pacts.c.pact_version_id
            )
        )
        .where(or_(pacts.c.consumer_id.in_(specified_ids), pacts.c.provider_id.in_(specified_ids)))
    )


def _row_ids_for_one_selector(shape: _Shape) -> Select[*tuple[Any, ...]]:
    """Rows where the one selector is the consumer (any result) or the provider (its results)."""
    as_consumer: Any
    pacts: Any
    if shape.limited:  # the newest results of each pact's content only (any provider)
        pacts = _newest_of_consumer_side(shape).cte("p")
        every: Walk = (any_result, lambda contents: true())
        rows = pacts_with_newest_results(shape.lateral, pacts, [every], None)
        as_consumer = select(rows)
    else:
        pacts = _recent(select(*pact_columns()).where(_consumer_side(shape))).subquery("p")
        every_result = select(*_verification_columns()).subquery("v")
        as_consumer = select(
            pacts,
            every_result.c.provider_version_id,
            every_result.c.verification_id,
            every_result.c.verification_created_at,
        ).select_from(
            pacts.outerjoin(
                every_result, every_result.c.v_pact_version_id == pacts.c.pact_version_id
            )
        )
    if shape.limited:  # the newest results, each with the pacts a page can show
        newest = _newest_of_provider_side(shape).cte("vp")
        as_provider = select(pacts_of_newest_results(shape.lateral, newest).subquery("ap"))
        return select(union(as_consumer, as_provider).subquery("u"))
    by_provider = select(*_verification_columns()).where(_provider_side(shape)).subquery("vp")
    as_provider = (
        select(
            *pact_columns(),
            by_provider.c.provider_version_id,
            by_provider.c.verification_id,
            by_provider.c.verification_created_at,
        )
        .select_from(by_provider)
        .join(_P, _P.pact_version_id == by_provider.c.v_pact_version_id)
    )
    return select(union(as_consumer, as_provider).subquery("u"))


def _newest_action_first(ids: Any) -> list[ColumnElement[Any]]:
    """The matrix's order: the later of result and publication, then publication, then
    result (unique per row, so a page's boundary never depends on the plan)."""
    last_action = case(
        (
            and_(
                ids.c.verification_created_at.is_not(None),
                ids.c.verification_created_at > ids.c.pact_created_at,
            ),
            ids.c.verification_created_at,
        ),
        else_=ids.c.pact_created_at,
    )
    return [
        last_action.desc(),
        ids.c.pact_publication_id.desc(),
        func.coalesce(ids.c.verification_id, literal_column("0")).desc(),
    ]


def _driving(column: Any) -> Any:
    return column + literal_column("0")


@cache
def _rows_statement(shape: _Shape) -> Select[*tuple[Any, ...]]:
    """The rows in full; for a page, the page's rows are chosen by their ids first, so only
    they are joined to names, numbers and results (not every candidate row)."""
    found = _row_ids_for_one_selector(shape) if shape.one_selector else None
    found = _row_ids_between_selectors(shape) if found is None else found
    ids: Any = found.subquery("r")
    if shape.limited:
        page = select(ids).order_by(*_newest_action_first(ids))
        ids = page.limit(bindparam("outer_limit", type_=Integer)).subquery("page")
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    consumer_version, provider_version = aliased(Version), aliased(Version)
    query = (
        select(
            ids.c.consumer_id,
            consumer.name,
            ids.c.consumer_version_id,
            consumer_version.number,
            consumer_version.order,
            ids.c.provider_id,
            provider.name,
            ids.c.provider_version_id,
            provider_version.number,
            provider_version.order,
            ids.c.pact_version_id,
            PactVersion.sha,
            PactPublication.revision_number,
            ids.c.pact_created_at,
            ids.c.verification_id,
            Verification.number,
            Verification.success,
            Verification.execution_date,
        )
        .select_from(ids)
        # The page drives its lookups (``+ 0``: no index can be built on its side). SQLite,
        # which cannot size the page in advance, would otherwise scan a small table (every
        # pacticipant, every pact content at 10 %) and look each row up in the page.
        .join(consumer, consumer.id == _driving(ids.c.consumer_id))
        .join(provider, provider.id == _driving(ids.c.provider_id))
        .join(consumer_version, consumer_version.id == _driving(ids.c.consumer_version_id))
        .join(PactVersion, PactVersion.id == _driving(ids.c.pact_version_id))
        .join(PactPublication, PactPublication.id == _driving(ids.c.pact_publication_id))
        .outerjoin(provider_version, provider_version.id == ids.c.provider_version_id)
        .outerjoin(Verification, Verification.id == ids.c.verification_id)
        .order_by(*_newest_action_first(ids))
    )
    return query


def find_rows(
    session: Session, selectors: Sequence[ResolvedSelector], options: MatrixOptions
) -> list[MatrixRow]:
    """The rows between ``selectors``, newest action first, at most ``options.limit`` of them.

    Without ``latestby`` every pact revision and every verification is a row, as in the Pact
    Broker (``EveryRow``); with it, only the latest revision and the latest result per provider
    version (``MatrixRow``), which ``apply_latestby`` then narrows further.
    """
    if options.latestby is None:
        return find_every_row(session, selectors, options)
    ids = selector_ids(selectors)
    shape = _Shape(
        one_selector=versions_meant(selectors) == 1,
        name_only=bool(ids.name_only),
        versions=bool(ids.versions),
        limited=options.limit is not None,
        branches=bool(ids.branches),
        small_branches=ids.small_branches,
        tags=len(ids.tags),
        lateral=session.get_bind().dialect.name == "postgresql",
    )
    params: dict[str, Any] = {
        "c_name_only": ids.name_only,
        "c_versions": ids.versions,
        "c_branches": ids.branches,
        "v_name_only": ids.name_only,
        "v_versions": ids.versions,
        "v_branches": ids.branches,
        "v_branch_owners": ids.branch_owners,
        "c_branch_owners": ids.branch_owners,
        "c_tag_owners": ids.tag_owners,
        "v_tag_owners": ids.tag_owners,
        **tag_params("c", ids.tags),
        **tag_params("v", ids.tags),
        "inner_limit": options.limit,
        "outer_limit": options.limit,
    }
    if not shape.one_selector:
        params["all_ids"] = sorted({s.pacticipant_id for s in selectors})
        params["specified_ids"] = sorted({s.pacticipant_id for s in selectors if s.specified})
    rows = session.execute(_rows_statement(shape), params).all()
    return [MatrixRow(*row) for row in rows]
