"""The index's table rows, built in Python rather than in the template.

A row of the index has eleven cells and, per environment, two placement lists; as template
code each value is an attribute lookup, an escape and a string conversion through Jinja's
runtime, and the names are quoted into five links. Here each name is escaped and quoted once
per page and each row is one f-string: the same markup for a third of the cost (the index was
the page furthest over the heartbeat). Every user-supplied value goes through ``escape``.
"""

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from accord_broker.domain.integrations.overview import IntegrationRow, Placement
from accord_broker.ui.fragments import placements, status_pill, version_label, when
from accord_broker.web.links import segment


class _Page:
    """What the rows of one page share, built once: each placement list's chips (a
    pacticipant's placements are the same list on each of its rows, and a busy consumer is
    on every row), each name escaped as text and as a path segment, each environment's
    attribute, and the UI's base URL."""

    def __init__(self, ui: str) -> None:
        self.ui = escape(ui)
        self._chips: dict[int, tuple[Sequence[Placement], Markup]] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self._environments: dict[str, str] = {}

    def chips(self, entries: Sequence[Placement]) -> Markup:
        known = self._chips.get(id(entries))
        if known is not None and known[0] is entries:
            return known[1]
        html = placements(entries)
        self._chips[id(entries)] = (entries, html)
        return html

    def name(self, name: str) -> tuple[str, str]:
        """The name escaped as text and as a path segment."""
        known = self._names.get(name)
        if known is None:
            known = self._names[name] = (escape(name), escape(segment(name)))
        return known

    def environment(self, name: str) -> str:
        known = self._environments.get(name)
        if known is None:
            known = self._environments[name] = escape(name)
        return known


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
    return f'<td class="env-col" data-environment="{page.environment(environment)}">{inner}</td>'


def integration_row(
    row: IntegrationRow, environments: Sequence[str], ui: str, page: _Page | None = None
) -> Markup:
    """One ``<tr class="integration">`` of the index (``ui`` is the UI's base URL)."""
    page = page or _Page(ui)
    ui = page.ui
    consumer, to_consumer = page.name(row.consumer)
    provider, to_provider = page.name(row.provider)
    pair = f"{ui}/pacts/provider/{to_provider}/consumer/{to_consumer}"
    matrix = f"{ui}/matrix/provider/{to_provider}/consumer/{to_consumer}"
    verified: Any = when(None)
    if row.verification:
        verified = f'<a href="{pair}/latest-verification">{when(row.verification.verified_at)}</a>'
    cells = "".join(_environment_cell(row, env, consumer, provider, page) for env in environments)
    return Markup(
        f'<tr class="integration" data-consumer="{consumer}" data-provider="{provider}">'
        f'<td class="name"><a href="{ui}/pacticipants/{to_consumer}">{consumer}</a></td>'
        f'<td class="name"><a href="{ui}/pacticipants/{to_provider}">{provider}</a></td>'
        f'<td class="consumer-version">{version_label(row.consumer_version)}</td>'
        f'<td class="published"><a href="{pair}/latest">{when(row.pact_published_at)}</a></td>'
        f'<td class="status">{status_pill(row.status)}</td>'
        f'<td class="provider-version">{version_label(row.provider_version)}</td>'
        f'<td class="verified">{verified}</td>'
        f'{cells}<td class="actions"><a href="{matrix}">matrix</a></td></tr>\n'
    )


def integration_rows(
    rows: Sequence[IntegrationRow], environments: Sequence[str], ui: str
) -> Markup:
    """The index's rows, what they share built once for the page."""
    page = _Page(ui)
    return Markup("".join(integration_row(row, environments, ui, page) for row in rows))
