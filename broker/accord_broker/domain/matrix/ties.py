"""The newest ``limit`` rows by date, and every row tied with the last of them (issue #20).

A page of matrix rows starts from the newest pacts (or results) of the selectors, ``limit`` of
them, then ranks their rows by last action, publication and result (``rows.py``). Dates tie
often: one publication stores every pact of a consumer version in the same instant, one
provider build records its results together, and imported or seeded history shares whole
seconds. Cut inside such a group, the limit kept whichever of the tied rows the plan happened
to read first (SQLite and PostgreSQL differed at small limits), and a tie-breaker on the id
would not help: the page ranks a tied pact by its newest result, which no column of the pact
says. So the limit keeps the whole group, and the page's total order chooses among them.

PostgreSQL says so directly (``FETCH FIRST n ROWS WITH TIES``). SQLite has no such clause: the
rows are those at or after the ``limit``-th newest date, found by a second walk of the same
rows that stops after ``limit`` of them; the bound then serves the first walk as an index
range. Both walks read about ``limit`` rows (plus the ties): the cost stays a page's.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, select
from sqlalchemy.orm import aliased

Build = Callable[[Any], Select[Any]]
"""The rows to limit, read from the given alias of the walked table (or subquery)."""
Dated = Callable[[Any], ColumnElement[Any]]
"""The date the rows are ranked by, on the given alias."""


def limit_parameter(name: str) -> Any:
    """A row limit bound as a parameter (one cached statement serves every page size)."""
    return bindparam(name, type_=Integer)


def _alias(table: Any) -> Any:
    """A fresh alias of an ORM entity, a subquery or a CTE."""
    if hasattr(table, "__mapper__") or hasattr(table, "_aliased_insp"):
        return aliased(table)
    return table.alias()


def newest_with_ties(
    table: Any,
    build: Build,
    dated: Dated,
    limit: Any,
    *,
    postgresql: bool,
    walk: bool,
    correlate: tuple[Any, ...] = (),
) -> Select[Any]:
    """``build``'s rows dated within its ``limit`` newest (every row tied with the last one
    kept), newest first on PostgreSQL.

    ``walk``: the rows are read newest first from an index on the date, and the SQLite bound
    serves that index as a range. Otherwise they are looked up by key (a few versions' pacts)
    and the date is only tested: offered a range on the date, SQLite walked every pact of the
    provider from the bound instead. ``correlate``: the outer FROMs a walk refers to (its
    ``LATERAL`` or correlated ``IN`` source), which the second walk must refer to as well."""
    row = _alias(table)
    rows = build(row)
    if postgresql:
        return rows.order_by(dated(row).desc()).fetch(limit, with_ties=True)
    other = _alias(table)
    newest_first = dated(other) if walk else _tested(dated(other))
    newest = (
        build(other)
        .with_only_columns(dated(other).label("dated"))
        .order_by(newest_first.desc())
        .limit(limit)
    )
    if correlate:
        newest = newest.correlate(*correlate)
    walked = newest.subquery("newest_dates")
    bound = select(func.min(walked.c.dated))
    if correlate:
        bound = bound.correlate(*correlate)
    bounded = dated(row) if walk else _tested(dated(row))
    return rows.where(bounded >= bound.scalar_subquery())


def _tested(date: ColumnElement[Any]) -> ColumnElement[Any]:
    """The date as an expression no index serves (so it is tested, never walked)."""
    return func.coalesce(date, date)
