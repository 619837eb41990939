"""The index's table rows, built in Python rather than in the template.

A row of the index has eleven cells and, per environment, two placement lists; as template
code each value is an attribute lookup, an escape and a string conversion through Jinja's
runtime, and the names are quoted into five links. Here each row is one f-string: the same
markup for a third of the cost (the index was the page furthest over the heartbeat). Every
user-supplied value goes through ``escape``.

Names and version labels are escaped and quoted once and remembered (``escaping``), the chips
rows share are built once per page (``_Page``), and everything is kept as text: each cell's
markup is formatted straight into its row, which alone is made ``Markup`` (issue #20: a
``Markup`` per cell, an escape per name per row and the clock read for each time shown were
half a row's cost).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from markupsafe import Markup

from accord_broker.domain.integrations.overview import IntegrationRow, Placement
from accord_broker.ui.escaping import escaped_segment, escaped_text
from accord_broker.ui.fragments import STATUS_PILLS, placements_html, version_label_html, when_html


class _Page:
    """What the rows of one page share, built once: each placement list's chips (a
    pacticipant's placements are the same list on each of its rows, and a busy consumer is
    on every row), the UI's base URL and the moment the ages are counted from. (Names and
    version labels are remembered across pages: ``escaping``, ``fragments``.)"""

    def __init__(self, ui: str, now: datetime | None) -> None:
        self.ui = escaped_text(ui)
        self.now = now or datetime.now(UTC)
        self._chips: dict[int, tuple[Sequence[Placement], str]] = {}

    def chips(self, entries: Sequence[Placement]) -> str:
        known = self._chips.get(id(entries))
        if known is not None and known[0] is entries:
            return known[1]
        html = placements_html(entries)
        self._chips[id(entries)] = (entries, html)
        return html


def _environment_cell(
    row: IntegrationRow, environment: str, consumer: str, provider: str, page: _Page
) -> str:
    mine = row.consumer_placements.get(environment)
    theirs = row.provider_placements.get(environment)
    inner = ""
    if mine:
        inner += (
            f'<div><span class="role" title="consumer">{consumer}</span> {page.chips(mine)}</div>'
        )
    if theirs:
        inner += (
            f'<div><span class="role" title="provider">{provider}</span> {page.chips(theirs)}</div>'
        )
    return f'<td class="env-col" data-environment="{escaped_text(environment)}">{inner}</td>'


def _row_html(row: IntegrationRow, environments: Sequence[str], page: _Page) -> str:
    ui = page.ui
    consumer, to_consumer = escaped_text(row.consumer), escaped_segment(row.consumer)
    provider, to_provider = escaped_text(row.provider), escaped_segment(row.provider)
    pair = f"{ui}/pacts/provider/{to_provider}/consumer/{to_consumer}"
    matrix = f"{ui}/matrix/provider/{to_provider}/consumer/{to_consumer}"
    verified = when_html(None)
    if row.verification:
        verified_at = when_html(row.verification.verified_at, page.now)
        verified = f'<a href="{pair}/latest-verification">{verified_at}</a>'
    cells = "".join(_environment_cell(row, env, consumer, provider, page) for env in environments)
    return (
        f'<tr class="integration" data-consumer="{consumer}" data-provider="{provider}">'
        f'<td class="name"><a href="{ui}/pacticipants/{to_consumer}">{consumer}</a></td>'
        f'<td class="name"><a href="{ui}/pacticipants/{to_provider}">{provider}</a></td>'
        f'<td class="consumer-version">{version_label_html(row.consumer_version)}</td>'
        f'<td class="published"><a href="{pair}/latest">'
        f"{when_html(row.pact_published_at, page.now)}</a></td>"
        f'<td class="status">{STATUS_PILLS[row.status]}</td>'
        f'<td class="provider-version">{version_label_html(row.provider_version)}</td>'
        f'<td class="verified">{verified}</td>'
        f'{cells}<td class="actions"><a href="{matrix}">matrix</a></td></tr>\n'
    )


def integration_row(
    row: IntegrationRow,
    environments: Sequence[str],
    ui: str,
    now: datetime | None = None,
) -> Markup:
    """One ``<tr class="integration">`` of the index (``ui`` is the UI's base URL; ages are
    counted from ``now``, default the present)."""
    return Markup(_row_html(row, environments, _Page(ui, now)))


def integration_rows(
    rows: Sequence[IntegrationRow],
    environments: Sequence[str],
    ui: str,
    now: datetime | None = None,
) -> Markup:
    """The index's rows, what they share built once for the page (ages counted from ``now``,
    the page's moment, default the present)."""
    page = _Page(ui, now)
    return Markup("".join([_row_html(row, environments, page) for row in rows]))
