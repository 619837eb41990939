"""What the Pact Broker does with the rows a matrix question found, in its order: keep the
newest per group (``latestby``), then filter by result (``success[]``, after ``latestby`` and the
row limit, as the Pact Broker applies it: broker.md §3.6), then set aside the ignored ones."""

from collections.abc import Sequence
from operator import attrgetter

from accord_broker.domain.matrix.matrix_row import MatrixRow
from accord_broker.domain.matrix.query import MatrixOptions
from accord_broker.domain.matrix.resolve import ResolvedSelector

__all__ = ["apply_latestby", "apply_success_filter", "split_ignored"]


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
    """Keep the newest provider version's row per group, in the order the groups first appear
    (the first of equals); a group whose first row is unverified keeps that row.

    One pass, keeping the best row so far: a page's groups are mostly of one row, and
    gathering each group in a list to take its maximum cost more than the choice."""
    fields = _GROUP_FIELDS.get(latestby or "")
    if fields is None:
        return list(rows)
    group_of = attrgetter(*fields)
    kept: dict[tuple[object, ...], MatrixRow] = {}
    settled: set[tuple[object, ...]] = set()
    for row in rows:
        group = group_of(row)
        best = kept.get(group)
        if best is None:
            kept[group] = row
            if row.provider_version_number is None:
                settled.add(group)
        elif group not in settled and (row.provider_version_order or 0) > (
            best.provider_version_order or 0
        ):
            kept[group] = row
    return list(kept.values())


def apply_success_filter(rows: Sequence[MatrixRow], options: MatrixOptions) -> list[MatrixRow]:
    """The rows whose result is one of ``success[]``: applied to the page the limit and
    ``latestby`` already chose, as the Pact Broker does, so a page of 100 rows may keep one.
    (Reading on until 100 matching rows were found would answer another question, and read
    the whole history when the filter matches little.)"""
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
