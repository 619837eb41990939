"""The newest results of each pact version a page of matrix rows can show (issue #20).

A page never joins its pacts to *every* result of their content: the hot content of a busy pair
carries a result from each of a thousand provider versions. Within one publication (created at
``pc``) the rows rank results created after ``pc`` by (date, id) descending, then those created
until ``pc`` (tied on ``pc``) by id descending. So per pact version, the newest ``limit``
results by ``(created_at, verification_id)`` together with the newest ``limit`` by
``verification_id`` hold every result any page of ``limit`` rows can show, whatever ``pc``:
each list is one index range read that stops (``db/matrix_indexes.py``). Both lists are read,
rather than trusting ids to rise with dates: ``created_at`` is the writing process's clock, and
several broker processes (or imported history) need not agree with the id sequence. Results of
explicitly selected provider versions are looked up by key instead (at most one per version).
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from accord_broker.db.models import LatestVerification

_NEWEST_ORDERS = ("created", "id")


def _newest_results(
    lateral: bool, contents: Any, criteria: Any, order: str, guard: Any
) -> Select[*tuple[Any, ...]]:
    """Each pact version of ``contents`` meeting ``guard(contents)`` with its newest
    ``inner_limit`` results that meet ``criteria(result)``, newest by ``order`` (``created``:
    (created_at, id); ``id``): one bounded index range each, whatever the number of results."""
    result = aliased(LatestVerification)
    ranked = select(result.provider_version_id, result.verification_id, result.created_at).where(
        result.pact_version_id == contents.c.pact_version_id, *criteria(result)
    )
    if order == "created":
        ranked = ranked.order_by(result.created_at.desc(), result.verification_id.desc())
    else:
        ranked = ranked.order_by(result.verification_id.desc())
    ranked = ranked.limit(bindparam("inner_limit", type_=Integer))
    if lateral:
        found = ranked.lateral("newest")
        return (
            select(contents.c.pact_version_id, found.c.provider_version_id)
            .add_columns(found.c.verification_id, found.c.created_at)
            .select_from(contents)
            .join(found, true())
            .where(guard(contents))
        )
    ids = ranked.with_only_columns(result.verification_id).correlate(contents)
    row = aliased(LatestVerification)
    return (
        select(contents.c.pact_version_id, row.provider_version_id)
        .add_columns(row.verification_id, row.created_at)
        .select_from(contents)
        .join(row, row.verification_id.in_(ids))
        .where(guard(contents))
    )


def _results_by_key(lateral: bool, contents: Any, by_key: Any) -> Select[*tuple[Any, ...]]:
    """Each pact version of ``contents`` with every result meeting ``by_key(result)`` (selected
    provider versions: one primary-key lookup each). On SQLite they are found by a correlated
    ``IN``: as a plain join the planner may first build a Bloom filter over the whole table."""
    result = aliased(LatestVerification)
    found = select(contents.c.pact_version_id, result.provider_version_id).add_columns(
        result.verification_id, result.created_at
    )
    if lateral:
        on_key = and_(result.pact_version_id == contents.c.pact_version_id, *by_key(result))
        return found.select_from(contents).join(result, on_key)
    keyed = aliased(LatestVerification)
    ids = (
        select(keyed.verification_id)
        .where(keyed.pact_version_id == contents.c.pact_version_id, *by_key(keyed))
        .correlate(contents)
    )
    return found.select_from(contents).join(result, result.verification_id.in_(ids))


Walk = tuple[Any, Any]
"""Results to read newest first: ``(criteria(result), guard(contents))``. A pact version's
results all have its provider (a pact version belongs to one pair), so a guard on the
provider skips, before any read, the contents whose results could never meet the criteria."""


def provider_guard(contents: Any) -> Any:
    """The contents' provider, as an expression no index serves: SQLite could otherwise read
    every result first and look the contents up by provider (seen at 10 % of the benchmark)."""
    return contents.c.provider_id + literal_column("0")


def pacts_with_newest_results(lateral: bool, pacts: Any, walks: Sequence[Walk], by_key: Any) -> Any:
    """The rows of ``pacts`` a page can show (see the module docstring): for each walk, the
    newest results it allows (two bounded lists); every result meeting ``by_key`` (looked up
    by provider version); and one row without a result for each pact none of these found.

    The results are read once per pact version (the page's pacts share a few contents), then
    joined to each pact of that content."""
    contents = select(pacts.c.pact_version_id, pacts.c.provider_id).distinct().cte("contents")
    parts = [
        _newest_results(lateral, contents, criteria, order, guard)
        for criteria, guard in walks
        for order in _NEWEST_ORDERS
    ]
    if by_key is not None:
        parts.append(_results_by_key(lateral, contents, by_key))
    found = union(*parts).cte("found")
    floor = _page_floor(pacts, found)
    # From ``found``: SQLite then looks each result's pacts up in an index it builds on
    # ``pacts`` (the other way round it scans every found result for each pact).
    verified = (
        select(pacts, found.c.provider_version_id, found.c.verification_id)
        .add_columns(found.c.created_at.label("verification_created_at"))
        .select_from(found)
        .join(pacts, found.c.pact_version_id == pacts.c.pact_version_id)
        .join(floor, true())
        .where(
            or_(
                floor.c.dated.is_(None),
                found.c.created_at >= floor.c.dated,
                pacts.c.pact_created_at >= floor.c.dated,
            )
        )
    )
    unverified = select(
        pacts,
        null().label("provider_version_id"),
        null().label("verification_id"),
        null().label("verification_created_at"),
    ).where(
        pacts.c.pact_version_id.not_in(select(found.c.pact_version_id)),
        or_(floor.c.dated.is_(None), pacts.c.pact_created_at >= floor.c.dated),
    )
    unverified = unverified.join_from(pacts, floor, true())
    return union_all(verified, unverified).subquery("rows")


def _page_floor(pacts: Any, found: Any) -> Any:
    """A date no row of the page is older than (``NULL``: fewer rows than a page).

    A row ranks by the later of its result's date and its pact's. So each result yields a row
    dated at least its own date for every pact of its content, and each pact a row dated at
    least its own date for every result of its content (or one row, without a result). Walking
    the results newest first adding up their contents' pacts, or the pacts adding up their
    contents' results, the date at which either sum reaches the page's ``outer_limit`` has a
    page of rows at or after it: older rows can never be shown. A busy pair's page shares a few
    contents with a few hundred results each, so without the floor each page ranked thousands
    of rows (10 pacts x 28 results per content at the benchmark's size) to keep a hundred."""
    limit = bindparam("outer_limit", type_=Integer)
    pacts_per_content = (
        select(pacts.c.pact_version_id, func.count().label("pacts"))
        .group_by(pacts.c.pact_version_id)
        .subquery("pacts_per_content")
    )
    by_results = (
        select(
            found.c.created_at.label("dated"),
            func.sum(pacts_per_content.c.pacts)
            .over(order_by=found.c.created_at.desc(), rows=(None, 0))
            .label("rows_so_far"),
        )
        .select_from(found)
        .join(pacts_per_content, pacts_per_content.c.pact_version_id == found.c.pact_version_id)
        .subquery("by_results")
    )
    results_per_content = (
        select(found.c.pact_version_id, func.count().label("results"))
        .group_by(found.c.pact_version_id)
        .subquery("results_per_content")
    )
    by_pacts = (
        select(
            pacts.c.pact_created_at.label("dated"),
            func.sum(func.coalesce(results_per_content.c.results, literal_column("1")))
            .over(order_by=pacts.c.pact_created_at.desc(), rows=(None, 0))
            .label("rows_so_far"),
        )
        .select_from(pacts)
        .outerjoin(
            results_per_content,
            results_per_content.c.pact_version_id == pacts.c.pact_version_id,
        )
        .subquery("by_pacts")
    )
    floors = union_all(
        *(
            select(func.max(walk.c.dated).label("dated")).where(walk.c.rows_so_far >= limit)
            for walk in (by_results, by_pacts)
        )
    ).subquery("floors")
    return select(func.max(floors.c.dated).label("dated")).cte("page_floor")


def any_result(result: Any) -> list[ColumnElement[bool]]:
    del result  # every result of the content
    return []
