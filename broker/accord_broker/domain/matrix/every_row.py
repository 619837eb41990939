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
at most ``limit`` results from at most two index range reads. The reads of every publication of
the page are one statement (``_page_rows_statement``), which returns only the ``limit`` best
rows: the statement count never depends on the page or the history (issue #20). Only the final
``limit`` rows are then read in full.
"""

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import Pacticipant, PactPublication, PactVersion, Verification, Version
from accord_broker.domain.matrix.matrix_row import MatrixRow
from accord_broker.domain.matrix.newest_publications import newest_publications_statement
from accord_broker.domain.matrix.query import MatrixOptions
from accord_broker.domain.matrix.resolve import (
    ResolvedSelector,
    selector_ids,
    versions_meant,
)
from accord_broker.domain.matrix.sides import exists_per_row, side_criteria, tag_params

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
    branches: bool = False
    small_branches: bool = True
    tags: int = 0
    """How many whole tags (``sides.tag_params``)."""
    few_versions: bool = False
    """The selectors are at most ``FEW_VERSIONS`` versions: a publication's results by them
    are read through those versions (``_results_of_content``)."""


FEW_VERSIONS = 10
"""Up to this many selected versions, a content's results by them are read version by version
(each version's own results); beyond, by walking the content's results newest first."""


def _limit() -> Any:
    return bindparam("limit", type_=Integer)


@cache
def _publications_statement(shape: _Shape, lateral: bool) -> Select[int, int, datetime]:
    """The newest publications (every revision) of the selected consumer versions: for one
    selector, one index range newest first; between several, ``newest_publications``."""
    if not shape.one_selector:
        return newest_publications_statement(shape, lateral)
    query = select(_PP.id, _PP.pact_version_id, _PP.created_at).where(
        side_criteria(_PP.consumer_id, _PP.consumer_version_id, "c", shape)
    )
    return query.order_by(_PP.created_at.desc(), _PP.id.desc()).limit(_limit())


def _results_of_content(
    shape: _Shape, result: type[Verification], publication: Any
) -> list[ColumnElement[bool]]:
    """A publication's results: all of them for one selector (the selector is its consumer),
    only the selected provider versions' when several selectors are asked about together.

    A hot content carries a result from each of a thousand provider versions: walking them
    newest first for the one or two selected ones read them all (issue #20). So a few
    selected versions' results are read through ``provider_version_id`` instead, the content
    then tested (``pact_version_id + 0``: no planner walks the content's results for it).
    A result's version on a whole branch or with a whole tag is tested row by row
    (``drive=False``), not against a list of its thousands of versions built first."""
    content: Any = result.pact_version_id
    if shape.one_selector:
        return [content == publication.c.pact_version_id]
    if shape.few_versions:
        content = content + literal_column("0")
    version = result.provider_version_id
    side = side_criteria(result.provider_id, version, "v", shape, drive=False)
    return [content == publication.c.pact_version_id, side]


def _results_after(shape: _Shape, publication: Any) -> Select[int, datetime]:
    """Results created after the publication: they rank by their own date, newest first."""
    result = aliased(Verification)
    return (
        select(result.id, result.created_at)
        .where(
            *_results_of_content(shape, result, publication),
            result.created_at > publication.c.created_at,
        )
        .order_by(result.created_at.desc(), result.id.desc())
        .limit(_limit())
    )


def _results_until(shape: _Shape, publication: Any) -> Select[int, datetime]:
    """Results created until the publication: all tied on its date, highest id first.

    The date test is wrapped in ``coalesce`` so that no planner reads the whole date range of
    the ``(pact_version_id, created_at)`` index and sorts it: walking ``(pact_version_id, id)``
    backwards stops after ``limit`` results, having skipped fewer than ``limit`` newer ones.
    """
    result = aliased(Verification)
    published_until: Any = func.coalesce(result.created_at, result.created_at)
    return (
        select(result.id, publication.c.created_at)
        .where(
            *_results_of_content(shape, result, publication),
            published_until <= publication.c.created_at,
        )
        .order_by(result.id.desc())
        .limit(_limit())
    )


def _page_publications() -> Any:
    return (
        select(_PP.id, _PP.pact_version_id, _PP.created_at)
        .where(_PP.id.in_(bindparam("publication_ids", expanding=True)))
        .subquery("page")
    )


def _open_rows(shape: _Shape) -> Select[int, int, datetime]:
    """The row of each publication never verified (by the selected provider versions): no
    result, ranked on the publication's date below any of its results. Tested publication by
    publication: as an anti-join, PostgreSQL read every result of the provider first."""
    page = _page_publications()
    result = aliased(Verification)
    verified = exists_per_row(select(result.id).where(*_results_of_content(shape, result, page)))
    return select(page.c.id, literal(0).label("id_1"), page.c.created_at.label("ranked_at")).where(
        ~verified
    )


@cache
def _page_rows_statement(shape: _Shape, lateral: bool) -> Select[int, int, datetime]:
    """The best ``limit`` rows of the page's publications, in one statement whatever the
    number of publications: (publication, result or 0, rank date), best first.

    Per publication, at most ``limit`` results created after it and ``limit`` created until it
    are read, each an index range bounded by ``limit`` (one pact version can carry thousands
    of results); the database ranks these candidates and returns only the ``limit`` best.
    PostgreSQL reads each range with a ``LATERAL`` subquery; SQLite, which has none, looks the
    results up by the ids a correlated ``IN`` subquery yields for each publication.
    """
    parts = []
    for build in (_results_after, _results_until):
        page = _page_publications()
        if lateral:
            found = build(shape, page).lateral("found")
            parts.append(
                select(page.c.id, found.c.id.label("id_1"), found.c[1].label("ranked_at"))
                .select_from(page)
                .join(found, true())
            )
            continue
        ranked = build(shape, page)
        result = aliased(Verification)
        ids = ranked.with_only_columns(ranked.selected_columns[0]).correlate(page)
        ranked_at = result.created_at if build is _results_after else page.c.created_at
        parts.append(
            select(page.c.id, result.id.label("id_1"), ranked_at.label("ranked_at"))
            .select_from(page)
            .join(result, result.id.in_(ids))
        )
    candidates = union_all(*parts, _open_rows(shape)).subquery("candidates")
    return (
        select(candidates.c.id, candidates.c.id_1, candidates.c.ranked_at)
        .order_by(candidates.c.ranked_at.desc(), candidates.c.id.desc(), candidates.c.id_1.desc())
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


def _collect_for_page(
    session: Session,
    shape: _Shape,
    params: dict[str, Any],
    publications: Sequence[tuple[int, int, datetime]],
    best: _Best,
) -> None:
    """Offer every row of the page's publications that can rank among the best ``limit``: in
    one statement, whatever the number of publications."""
    if not publications:
        return
    lateral = session.get_bind().dialect.name == "postgresql"
    found = session.execute(
        _page_rows_statement(shape, lateral),
        {**params, "publication_ids": [p[0] for p in publications], "limit": best.limit},
    )
    for publication_id, verification_id, ranked_at in found:
        best.offer((ranked_at, publication_id, verification_id))


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
    ids = selector_ids(selectors)
    shape = _Shape(
        one_selector=versions_meant(selectors) == 1,
        name_only=bool(ids.name_only),
        versions=bool(ids.versions),
        branches=bool(ids.branches),
        small_branches=ids.small_branches,
        tags=len(ids.tags),
        few_versions=not (ids.name_only or ids.branches or ids.tags)
        and len(ids.versions) <= FEW_VERSIONS,
    )
    best = _Best(options.limit or _UNBOUNDED)
    params: dict[str, Any] = {
        "c_name_only": ids.name_only,
        "c_versions": ids.versions,
        "c_branches": ids.branches,
        "v_name_only": ids.name_only,
        "v_versions": ids.versions,
        "v_branches": ids.branches,
        "c_branch_owners": ids.branch_owners,
        "c_tag_owners": ids.tag_owners,
        **tag_params("c", ids.tags),
        **tag_params("v", ids.tags),
        "all_ids": sorted({s.pacticipant_id for s in selectors}),
        "specified_ids": sorted({s.pacticipant_id for s in selectors if s.specified}),
    }
    lateral = session.get_bind().dialect.name == "postgresql"
    publications = session.execute(
        _publications_statement(shape, lateral), {**params, "limit": best.limit}
    ).all()
    _collect_for_page(session, shape, params, publications, best)
    if shape.one_selector:
        as_provider = session.execute(
            _as_provider_statement(shape), {**params, "limit": best.limit}
        )
        for publication_id, published, verification_id, created in as_provider:
            best.offer((max(published, created), publication_id, verification_id))
    return _read_rows(session, best.ranked())
