"""Matrix rows: each pact of a consumer version, joined to provider versions' verifications.

With ``latestby`` (every can-i-deploy question), rows come from the two cache tables (the current
pact per consumer version, the newest result per pact version and provider version), so the query
never scans history; without it, the Pact Broker lists every revision and every result, which
``every_row`` finds (its ``MatrixRow`` vs ``EveryRow``, broker.md §3.1). The verifications are
filtered to the selected provider versions *before* the left outer join: a pact verified only
by some other provider version then still yields a row, with no provider version and no result,
which is exactly what makes an integration "unknown" (broker.md §3.6).
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
from accord_broker.domain.matrix.query import MatrixOptions
from accord_broker.domain.matrix.resolve import ResolvedSelector
from accord_broker.domain.matrix.sides import side_criteria

__all__ = [
    "MatrixRow",
    "apply_latestby",
    "apply_success_filter",
    "find_rows",
    "split_ignored",
]


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


def _pact_columns() -> list[ColumnElement[Any]]:
    return [
        _P.consumer_id.label("consumer_id"),
        _P.provider_id.label("provider_id"),
        _P.consumer_version_id.label("consumer_version_id"),
        _P.pact_publication_id.label("pact_publication_id"),
        _P.pact_version_id.label("pact_version_id"),
        _P.created_at.label("pact_created_at"),
    ]


def _verification_columns() -> list[ColumnElement[Any]]:
    return [
        _V.pact_version_id.label("v_pact_version_id"),
        _V.provider_version_id.label("provider_version_id"),
        _V.verification_id.label("verification_id"),
        _V.created_at.label("verification_created_at"),
    ]


def _recent(query: Select[*tuple[Any, ...]], shape: _Shape) -> Select[*tuple[Any, ...]]:
    query = query.order_by(_P.created_at.desc())
    return query.limit(bindparam("inner_limit", type_=Integer)) if shape.limited else query


def _consumer_side(shape: _Shape) -> ColumnElement[bool]:
    return side_criteria(_P.consumer_id, _P.consumer_version_id, "c", shape)


def _provider_side(shape: _Shape) -> ColumnElement[bool]:
    return side_criteria(_V.provider_id, _V.provider_version_id, "v", shape)


def _row_ids_between_selectors(shape: _Shape) -> Select[*tuple[Any, ...]]:
    """Rows between the selected versions only (several selectors, or inferred ones)."""
    all_ids: Any = bindparam("all_ids", expanding=True)
    specified_ids: Any = bindparam("specified_ids", expanding=True)
    pacts = _recent(
        select(*_pact_columns()).where(_consumer_side(shape), _P.provider_id.in_(all_ids)), shape
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
    pacts = _recent(select(*_pact_columns()).where(_consumer_side(shape)), shape).subquery("p")
    every_result = select(*_verification_columns()).subquery("v")
    as_consumer = select(
        pacts,
        every_result.c.provider_version_id,
        every_result.c.verification_id,
        every_result.c.verification_created_at,
    ).select_from(
        pacts.outerjoin(every_result, every_result.c.v_pact_version_id == pacts.c.pact_version_id)
    )
    results = select(*_verification_columns()).where(_provider_side(shape))
    if shape.limited:  # the newest results only: a provider may have verified thousands
        results = results.order_by(_V.created_at.desc()).limit(
            bindparam("inner_limit", type_=Integer)
        )
    by_provider = results.subquery("vp")
    as_provider = (
        select(
            *_pact_columns(),
            by_provider.c.provider_version_id,
            by_provider.c.verification_id,
            by_provider.c.verification_created_at,
        )
        .select_from(by_provider)
        .join(_P, _P.pact_version_id == by_provider.c.v_pact_version_id)
    )
    return select(union(as_consumer, as_provider).subquery("u"))


@cache
def _rows_statement(shape: _Shape) -> Select[*tuple[Any, ...]]:
    if shape.one_selector:
        ids = _row_ids_for_one_selector(shape).subquery("r")
    else:
        ids = _row_ids_between_selectors(shape).subquery("r")
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    consumer_version, provider_version = aliased(Version), aliased(Version)
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
        .join(consumer, consumer.id == ids.c.consumer_id)
        .join(provider, provider.id == ids.c.provider_id)
        .join(consumer_version, consumer_version.id == ids.c.consumer_version_id)
        .join(PactVersion, PactVersion.id == ids.c.pact_version_id)
        .join(PactPublication, PactPublication.id == ids.c.pact_publication_id)
        .outerjoin(provider_version, provider_version.id == ids.c.provider_version_id)
        .outerjoin(Verification, Verification.id == ids.c.verification_id)
        .order_by(
            last_action.desc(),
            ids.c.pact_publication_id.desc(),
            func.coalesce(ids.c.verification_id, literal_column("0")).desc(),
        )
    )
    if shape.limited:
        query = query.limit(bindparam("outer_limit", type_=Integer))
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
    name_only = sorted({s.pacticipant_id for s in selectors if s.version_id is None})
    versions = sorted({s.version_id for s in selectors if s.version_id is not None})
    shape = _Shape(
        one_selector=len(selectors) == 1,
        name_only=bool(name_only),
        versions=bool(versions),
        limited=options.limit is not None,
    )
    params: dict[str, Any] = {
        "c_name_only": name_only,
        "c_versions": versions,
        "v_name_only": name_only,
        "v_versions": versions,
        "inner_limit": options.limit,
        "outer_limit": options.limit,
    }
    if not shape.one_selector:
        params["all_ids"] = sorted({s.pacticipant_id for s in selectors})
        params["specified_ids"] = sorted({s.pacticipant_id for s in selectors if s.specified})
    rows = session.execute(_rows_statement(shape), params).all()
    return [MatrixRow(*row) for row in rows]


_GROUP_FIELDS = {
    "cvpv": (
        "consumer_name",
        "consumer_version_number",
        "provider_name",
        "provider_version_number",
    ),
    "cvp": ("consumer_name", "consumer_version_number", "provider_name"),
    "cp": ("consumer_name", "provider_name"),
}


def apply_latestby(rows: Sequence[MatrixRow], latestby: str | None) -> list[MatrixRow]:
    """Keep the newest provider version's row per group; unverified rows are always kept."""
    fields = _GROUP_FIELDS.get(latestby or "")
    if fields is None:
        return list(rows)
    groups: dict[tuple[object, ...], list[MatrixRow]] = {}
    for row in rows:
        groups.setdefault(tuple(getattr(row, f) for f in fields), []).append(row)
    kept = []
    for group in groups.values():
        if group[0].provider_version_number is None:
            kept.append(group[0])
        else:
            kept.append(max(group, key=lambda r: r.provider_version_order or 0))
    return kept


def apply_success_filter(rows: Sequence[MatrixRow], options: MatrixOptions) -> list[MatrixRow]:
    if options.success is None:
        return list(rows)
    return [row for row in rows if row.success in options.success]


def split_ignored(
    rows: Sequence[MatrixRow], ignores: Sequence[ResolvedSelector]
) -> tuple[list[MatrixRow], list[MatrixRow]]:
    """(considered, ignored): a row is ignored when an ignore selector covers either side."""
    if not ignores:
        return list(rows), []

    def covered(row: MatrixRow) -> bool:
        return any(
            (
                s.pacticipant_id == row.consumer_id
                and (s.only_pacticipant_name or s.version_id == row.consumer_version_id)
            )
            or (
                s.pacticipant_id == row.provider_id
                and (s.only_pacticipant_name or s.version_id == row.provider_version_id)
            )
            for s in ignores
        )

    considered = [row for row in rows if not covered(row)]
    ignored = [row for row in rows if covered(row)]
    return considered, ignored
