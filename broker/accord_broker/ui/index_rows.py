"""The index's table rows, built in Python rather than in the template.

A row of the index has eleven cells and, per environment, two placement lists; as template
code each value is an attribute lookup, an escape and a string conversion through Jinja's
runtime, and the names are quoted into five links. Here each name is escaped and quoted once
per row and the row is one f-string: the same markup for a third of the cost (the index was
the page furthest over the heartbeat). Every user-supplied value goes through ``escape``.
"""

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from accord_broker.domain.integrations.overview import IntegrationRow
from accord_broker.ui.fragments import placements, status_pill, version_label, when
from accord_broker.web.links import segment


def _environment_cell(row: IntegrationRow, environment: str, consumer: str, provider: str) -> str:
    mine = row.consumer_placements.get(environment)
    theirs = row.provider_placements.get(environment)
    inner = ""
    if mine:
        inner += (
            f'<div><span class="role" title="consumer">{consumer}</span> {placements(mine)}</div>'
        )
    if theirs:
        inner += (
            f'<div><span class="role" title="provider">{provider}</span> {placements(theirs)}</div>'
        )
    return f'<td class="env-col" data-environment="{escape(environment)}">{inner}</td>'


def integration_row(row: IntegrationRow, environments: Sequence[str], ui: str) -> Markup:
    """One ``<tr class="integration">`` of the index (``ui`` is the UI's base URL)."""
    consumer, provider = escape(row.consumer), escape(row.provider)
    ui = escape(ui)
    to_consumer, to_provider = escape(segment(row.consumer)), escape(segment(row.provider))
    pair = f"{ui}/pacts/provider/{to_provider}/consumer/{to_consumer}"
    matrix = f"{ui}/matrix/provider/{to_provider}/consumer/{to_consumer}"
    verified: Any = when(None)
    if row.verification:
        verified = f'<a href="{pair}/latest-verification">{when(row.verification.verified_at)}</a>'
    cells = "".join(_environment_cell(row, env, consumer, provider) for env in environments)
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
