"""The matrix page's table rows, built in Python rather than in the template.

Each row names two versions with their chips and links to a pact, a result and perhaps a
provider contract; in the template every one of those values went through Jinja's runtime
(lookup, escape, conversion) and the pair's names were quoted into three links per row. Here
the pair's path is quoted once per page and each row is one f-string: the same markup for a
fraction of the cost. Every user-supplied value goes through ``escape``.
"""

from typing import Any

from markupsafe import Markup, escape

from accord_broker.ui.fragments import result_pill, version_facts, when
from accord_broker.web.links import segment

_NONE = '<span class="muted">—</span>'
_COMPARED = 'title="compared with the provider contract (OpenAPI)">comparison</a>'


def matrix_rows(matrix: Any, consumer: str, provider: str, *, ui: str, base: str) -> Markup:
    """Every ``<tr class="matrix-row">`` of a ``MatrixPage`` for the pair."""
    pair = f"/pacts/provider/{escape(segment(provider))}/consumer/{escape(segment(consumer))}"
    ui, base = escape(ui), escape(base)
    contracts = f"{ui}/provider-contracts/provider/{escape(segment(provider))}/version/"
    facts = matrix.facts
    parts = []
    for r in matrix.rows:
        success = "none" if r.success is None else str(r.success).lower()
        provider_version = _NONE
        if r.provider_version_number:
            provider_version = (
                f'<span class="version">{escape(r.provider_version_number)}</span>'
                f"{version_facts(facts.get(r.provider_version_id))}"
            )
        source = ""
        if r.verification_id in matrix.comparisons:
            compared = escape(segment(matrix.comparisons[r.verification_id]))
            source = f'<a href="{contracts}{compared}" {_COMPARED}'
        elif r.verification_id:
            source = "verification"
        result = ""
        if r.verification_number:
            result = (
                f'<a href="{base}{pair}/pact-version/{escape(r.pact_version_sha)}'
                f'/verification-results/{escape(r.verification_number)}">result</a>'
            )
        parts.append(
            f'<tr class="matrix-row" data-success="{success}">'
            f'<td><span class="version">{escape(r.consumer_version_number)}</span>'
            f"{version_facts(facts.get(r.consumer_version_id))}</td>"
            f'<td><a href="{ui}{pair}/version/{escape(segment(r.consumer_version_number))}">'
            f"{when(r.pact_created_at)}</a></td>"
            f"<td>{provider_version}</td><td>{result_pill(r.success)}</td>"
            f'<td class="source">{source}</td><td>{when(r.verified_at)}</td>'
            f"<td>{result}</td></tr>\n"
        )
    return Markup("".join(parts))
