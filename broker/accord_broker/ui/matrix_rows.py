"""The matrix page's table rows, built in Python rather than in the template.

Each row names two versions with their chips and links to a pact, a result and perhaps a
provider contract; in the template every one of those values went through Jinja's runtime
(lookup, escape, conversion) and the pair's names were quoted into three links per row. Here
the pair's path is quoted once per page and each row is one f-string: the same markup for a
fraction of the cost. A page's rows share versions and results (a provider version verifies
many consumer versions; a result of a pact's content is shown beside every consumer version
that published that content), so the cells of each version and of each result are written
once per page and reused, and the clock is read once for all the ages. Every user-supplied
value goes through ``escape``, or through ``segment`` in a link, whose output has nothing to
escape.
"""

from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape

from accord_broker.ui.fragments import result_pill, version_chips, when
from accord_broker.web.links import segment

_NONE = '<td><span class="muted">—</span></td>'
_COMPARED = 'title="compared with the provider contract (OpenAPI)">comparison</a>'


def _by_success(success: bool | None) -> tuple[str, str]:
    shown = "none" if success is None else str(success).lower()
    return f'<tr class="matrix-row" data-success="{shown}">', f"<td>{result_pill(success)}</td>"


_BY_SUCCESS = {success: _by_success(success) for success in (None, True, False)}
"""A row's opening tag and its result pill's cell, by the result's success."""
_UNVERIFIED = (
    _BY_SUCCESS[None][0],
    f'{_BY_SUCCESS[None][1]}<td class="source"></td><td>{when(None)}</td><td></td>',
)
"""A row without a result: its opening tag and its cells from the result on."""


class _Cells:
    """One page's cells, each written the first time a row shows it and then reused.

    ``segment`` leaves letters, digits, ``-._~`` and ``%XX`` escapes only: its output needs
    no HTML escaping.
    """

    def __init__(self, matrix: Any, consumer: str, provider: str, ui: str, base: str) -> None:
        pair = f"/pacts/provider/{segment(provider)}/consumer/{segment(consumer)}"
        ui, base = escape(ui), escape(base)
        self.pact_link = f'<td><a href="{ui}{pair}/version/'
        self.result_link = f"{base}{pair}/pact-version/"
        self.contract_link = f"{ui}/provider-contracts/provider/{segment(provider)}/version/"
        self.chips = matrix.chips
        self.comparisons = matrix.comparisons
        self.now = datetime.now(UTC)
        self.consumers: dict[int, str] = {}
        self.providers: dict[int | None, str] = {None: _NONE}
        self.results: dict[int | None, tuple[str, str]] = {None: _UNVERIFIED}
        self.ages: dict[datetime | None, str] = {}

    def consumer(self, r: Any) -> str:
        """The consumer version's cell and the pact link's opening tag."""
        cell = self.consumers.get(r.consumer_version_id)
        if cell is None:
            number = r.consumer_version_number
            cell = self.consumers[r.consumer_version_id] = (
                f'<td><span class="version">{escape(number)}</span>'
                f"{version_chips(self.chips.get(r.consumer_version_id))}</td>"
                f'{self.pact_link}{segment(number)}">'
            )
        return cell

    def provider(self, r: Any) -> str:
        cell = self.providers.get(r.provider_version_id)
        if cell is None:
            cell = self.providers[r.provider_version_id] = (
                f'<td><span class="version">{escape(r.provider_version_number)}</span>'
                f"{version_chips(self.chips.get(r.provider_version_id))}</td>"
                if r.provider_version_number
                else _NONE
            )
        return cell

    def result(self, r: Any) -> tuple[str, str]:
        """The row's opening tag, and its cells from the result on: all of them the result's
        own (its success, source, time and link), shared by the rows that show it."""
        cells = self.results.get(r.verification_id)
        if cells is None:
            opening, pill = _BY_SUCCESS[r.success]
            source = "verification"
            if r.verification_id in self.comparisons:
                # the contract of the result's provider version, the row's
                compared = segment(r.provider_version_number)
                source = f'<a href="{self.contract_link}{compared}" {_COMPARED}'
            link = (
                f'<a href="{self.result_link}{escape(r.pact_version_sha)}'
                f'/verification-results/{r.verification_number}">result</a>'
                if r.verification_number
                else ""
            )
            cells = self.results[r.verification_id] = (
                opening,
                f'{pill}<td class="source">{source}</td>'
                f"<td>{self.age(r.verified_at)}</td><td>{link}</td>",
            )
        return cells

    def age(self, value: datetime | None) -> str:
        shown = self.ages.get(value)
        if shown is None:
            shown = self.ages[value] = when(value, self.now)
        return shown


def matrix_rows(matrix: Any, consumer: str, provider: str, *, ui: str, base: str) -> Markup:
    """Every ``<tr class="matrix-row">`` of a ``MatrixPage`` for the pair."""
    cells = _Cells(matrix, consumer, provider, ui, base)
    parts = []
    for r in matrix.rows:
        opening, result = cells.result(r)
        parts.append(
            f"{opening}{cells.consumer(r)}{cells.age(r.pact_created_at)}</a></td>"
            f"{cells.provider(r)}{result}</tr>\n"
        )
    return Markup("".join(parts))
