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
    literal_column,
    null,
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
    verified = (
        select(pacts, found.c.provider_version_id, found.c.verification_id)
        .add_columns(found.c.created_at.label("verification_created_at"))
        .join(found, found.c.pact_version_id == pacts.c.pact_version_id)
    )
    unverified = select(
        pacts,
        null().label("provider_version_id"),
        null().label("verification_id"),
        null().label("verification_created_at"),
    ).where(pacts.c.pact_version_id.not_in(select(found.c.pact_version_id)))
    return union_all(verified, unverified).subquery("rows")


def any_result(result: Any) -> list[ColumnElement[bool]]:
    del result  # every result of the content
    return []
