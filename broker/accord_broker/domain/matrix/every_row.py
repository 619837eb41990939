"""Every matrix row: each pact revision with each verification of its content (no ``latestby``).

Without ``latestby`` the Pact Broker answers from ``pact_publications`` and ``verifications``
themselves (its ``EveryRow``, broker.md §3.1): a consumer version that published two revisions
has a row for each, and a provider version that verified the same content twice has two rows.
Its order is the last action first (the later of the result and the publication), then the
newest publication, then the newest result; ``limit`` caps the rows.

One pact version can carry 15,000 results, so the rows are never joined and sorted wholesale.
For one publication, the results created *after* it come first, newest first (index
``(pact_version_id, created_at, id)``), then the results created before it, highest id first
(index ``(pact_version_id, id)``), all tied on the publication's date. So each publication needs
at most ``limit`` results from at most two index range reads, and fewer (or none) once the rows
kept so far outrank everything it could add. Only the final ``limit`` rows are then read in full.
"""

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import Pacticipant, PactPublication, PactVersion, Verification, Version
from accord_broker.domain.matrix.matrix_row import MatrixRow
from accord_broker.domain.matrix.query import MatrixOptions
from accord_broker.domain.matrix.resolve import ResolvedSelector
from accord_broker.domain.matrix.sides import side_criteria

_UNBOUNDED = 2**31 - 1
"""The limit of a query without one (only built in code: ``/matrix`` always has a limit)."""

_PP = PactPublication
_V = Verification

_Key = tuple[datetime, int, int]
"""A row's rank, higher first: (last action, publication id, verification id or 0)."""


@dataclass(frozen=True, slots=True)
class _Shape:
    """What varies between the statements; each is built once per shape and cached."""

    one_selector: bool
    name_only: bool
    versions: bool


def _limit() -> Any:
    return bindparam("limit", type_=Integer)


@cache
def _publications_statement(shape: _Shape) -> Select[int, int, datetime]:
    """The newest publications (every revision) of the selected consumer versions."""
    query = select(_PP.id, _PP.pact_version_id, _PP.created_at).where(
        side_criteria(_PP.consumer_id, _PP.consumer_version_id, "c", shape)
    )
    if not shape.one_selector:
        specified: Any = bindparam("specified_ids", expanding=True)
        query = query.where(
            _PP.provider_id.in_(bindparam("all_ids", expanding=True)),
            or_(_PP.consumer_id.in_(specified), _PP.provider_id.in_(specified)),
        )
    return query.order_by(_PP.created_at.desc(), _PP.id.desc()).limit(_limit())


def _results_of_content(shape: _Shape) -> list[ColumnElement[bool]]:
    """A publication's results: all of them for one selector (the selector is its consumer),
    only the selected provider versions' when several selectors are asked about together."""
    criteria = [_V.pact_version_id == bindparam("pact_version_id")]
    if not shape.one_selector:
        criteria.append(side_criteria(_V.provider_id, _V.provider_version_id, "v", shape))
    return criteria


@cache
def _results_after_statement(shape: _Shape) -> Select[int, datetime]:
    """Results created after the publication: they rank by their own date, newest first."""
    return (
        select(_V.id, _V.created_at)
        .where(
            *_results_of_content(shape),
            _V.created_at > bindparam("after"),
            _V.created_at >= bindparam("at_least"),
        )
        .order_by(_V.created_at.desc(), _V.id.desc())
        .limit(_limit())
    )


@cache
def _results_until_statement(shape: _Shape) -> Select[int]:
    """Results created until the publication: all tied on its date, highest id first.

    The date test is wrapped in ``coalesce`` so that no planner reads the whole date range of
    the ``(pact_version_id, created_at)`` index and sorts it: walking ``(pact_version_id, id)``
    backwards stops after ``limit`` results, having skipped fewer than ``limit`` newer ones
    (this statement only runs when the newer ones did not fill the limit).
    """
    published_until: Any = func.coalesce(_V.created_at, _V.created_at)
    return (
        select(_V.id)
        .where(*_results_of_content(shape), published_until <= bindparam("until"))
        .order_by(_V.id.desc())
        .limit(_limit())
    )


@cache
def _as_provider_statement(shape: _Shape) -> Select[int, datetime, int, datetime]:
    """One selector as the provider: its newest results, with every publication of their
    content (each revision of each consumer version that published it)."""
    results = (
        select(_V.id, _V.pact_version_id, _V.created_at)
        .where(side_criteria(_V.provider_id, _V.provider_version_id, "v", shape))
        .order_by(_V.created_at.desc(), _V.id.desc())
        .limit(_limit())
        .subquery("vp")
    )
    last_action = case(
        (results.c.created_at > _PP.created_at, results.c.created_at), else_=_PP.created_at
    )
    return (
        select(_PP.id, _PP.created_at, results.c.id, results.c.created_at)
        .select_from(results)
        .join(_PP, _PP.pact_version_id == results.c.pact_version_id)
        .order_by(last_action.desc(), _PP.id.desc(), results.c.id.desc())
        .limit(_limit())
    )


@cache
def _publication_details_statement() -> Select[*tuple[Any, ...]]:
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    return (
        select(
            _PP.id,
            _PP.consumer_id,
            consumer.name,
            _PP.consumer_version_id,
            Version.number,
            Version.order,
            _PP.provider_id,
            provider.name,
            _PP.pact_version_id,
            PactVersion.sha,
            _PP.revision_number,
            _PP.created_at,
        )
        .join(consumer, consumer.id == _PP.consumer_id)
        .join(provider, provider.id == _PP.provider_id)
        .join(Version, Version.id == _PP.consumer_version_id)
        .join(PactVersion, PactVersion.id == _PP.pact_version_id)
        .where(_PP.id.in_(bindparam("ids", expanding=True)))
    )


@cache
def _result_details_statement() -> Select[*tuple[Any, ...]]:
    return (
        select(
            _V.id,
            _V.provider_version_id,
            Version.number,
            Version.order,
            _V.number,
            _V.success,
            _V.execution_date,
        )
        .join(Version, Version.id == _V.provider_version_id)
        .where(_V.id.in_(bindparam("ids", expanding=True)))
    )


class _Best:
    """The ``limit`` highest-ranked rows seen so far (a min-heap: the weakest kept on top)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._heap: list[_Key] = []
        self._kept: set[_Key] = set()

    @property
    def weakest(self) -> _Key | None:
        """The rank a row must beat to be kept (``None`` while there is still room)."""
        return self._heap[0] if len(self._heap) >= self.limit else None

    def offer(self, key: _Key) -> None:
        if key in self._kept:  # a self-pact's row is found as consumer and as provider
            return
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, key)
        elif key > self._heap[0]:
            self._kept.discard(heapq.heapreplace(self._heap, key))
        else:
            return
        self._kept.add(key)

    def ranked(self) -> list[_Key]:
        return sorted(self._heap, reverse=True)


def _collect_for_publication(
    session: Session,
    shape: _Shape,
    params: dict[str, Any],
    *,
    publication_id: int,
    pact_version_id: int,
    published: datetime,
    best: _Best,
) -> None:
    """Offer the rows of one publication that can still outrank the rows kept so far."""
    weakest = best.weakest
    at_least = published if weakest is None else max(published, weakest[0])
    after = session.execute(
        _results_after_statement(shape),
        {
            **params,
            "pact_version_id": pact_version_id,
            "after": published,
            "at_least": at_least,
            "limit": best.limit,
        },
    ).all()
    for verification_id, created in after:
        best.offer((created, publication_id, verification_id))
    weakest = best.weakest
    if len(after) >= best.limit or (
        weakest is not None and (published, publication_id) < weakest[:2]
    ):
        return  # nothing ranked on the publication's own date can be kept any more
    until = session.scalars(
        _results_until_statement(shape),
        {
            **params,
            "pact_version_id": pact_version_id,
            "until": published,
            "limit": best.limit - len(after),
        },
    ).all()
    for verification_id in until:
        best.offer((published, publication_id, verification_id))
    if not after and not until:  # never verified (by the selected versions): one open row
        best.offer((published, publication_id, 0))


def _read_rows(session: Session, keys: Sequence[_Key]) -> list[MatrixRow]:
    """The full rows for ``keys``, in their order (two lookups by primary key)."""
    if not keys:
        return []
    publication_ids = sorted({k[1] for k in keys})
    verification_ids = sorted({k[2] for k in keys if k[2]})
    publications = {
        row[0]: row
        for row in session.execute(_publication_details_statement(), {"ids": publication_ids})
    }
    results = (
        {
            row[0]: row
            for row in session.execute(_result_details_statement(), {"ids": verification_ids})
        }
        if verification_ids
        else {}
    )
    rows = []
    for _, publication_id, verification_id in keys:
        pact = publications.get(publication_id)
        result = results.get(verification_id) if verification_id else None
        if pact is None or (verification_id and result is None):
            continue  # deleted between the statements
        rows.append(
            MatrixRow(
                consumer_id=pact[1],
                consumer_name=pact[2],
                consumer_version_id=pact[3],
                consumer_version_number=pact[4],
                consumer_version_order=pact[5],
                provider_id=pact[6],
                provider_name=pact[7],
                provider_version_id=result[1] if result else None,
                provider_version_number=result[2] if result else None,
                provider_version_order=result[3] if result else None,
                pact_version_id=pact[8],
                pact_version_sha=pact[9],
                pact_revision=pact[10],
                pact_created_at=pact[11],
                verification_id=result[0] if result else None,
                verification_number=result[4] if result else None,
                success=result[5] if result else None,
                verified_at=result[6] if result else None,
            )
        )
    return rows


def find_every_row(
    session: Session, selectors: Sequence[ResolvedSelector], options: MatrixOptions
) -> list[MatrixRow]:
    """Every revision with every result between ``selectors``, newest action first, at most
    ``options.limit`` rows (the Pact Broker's ``EveryRow``)."""
    name_only = sorted({s.pacticipant_id for s in selectors if s.version_id is None})
    versions = sorted({s.version_id for s in selectors if s.version_id is not None})
    shape = _Shape(
        one_selector=len(selectors) == 1, name_only=bool(name_only), versions=bool(versions)
    )
    best = _Best(options.limit or _UNBOUNDED)
    params: dict[str, Any] = {
        "c_name_only": name_only,
        "c_versions": versions,
        "v_name_only": name_only,
        "v_versions": versions,
        "all_ids": sorted({s.pacticipant_id for s in selectors}),
        "specified_ids": sorted({s.pacticipant_id for s in selectors if s.specified}),
    }
    publications = session.execute(
        _publications_statement(shape), {**params, "limit": best.limit}
    ).all()
    for publication_id, pact_version_id, published in publications:
        _collect_for_publication(
            session,
            shape,
            params,
            publication_id=publication_id,
            pact_version_id=pact_version_id,
            published=published,
            best=best,
        )
    if shape.one_selector:
        as_provider = session.execute(
            _as_provider_statement(shape), {**params, "limit": best.limit}
        )
        for publication_id, published, verification_id, created in as_provider:
            best.offer((max(published, created), publication_id, verification_id))
    return _read_rows(session, best.ranked())
