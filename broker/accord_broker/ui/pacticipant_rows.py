"""The pacticipant page's table rows (its integrations and its versions), built in Python.

The page lists a page of versions with four cells of chips and links each, and every
integration with three links; as template code each value was an attribute lookup, a filter
and an escape through Jinja's runtime, and rendering cost as much as the page's statements.
Here each row is one f-string with the same markup (the template's whitespace included), and
the pacticipant's quoted name is computed once per page, not once per link. Every
user-supplied value goes through ``escape``, exactly as autoescaping did.
"""

from collections.abc import Mapping, Sequence

from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from accord_broker.domain.integrations.overview import IntegrationRow
from accord_broker.domain.pacticipants.pacticipant_overview import VersionEntry
from accord_broker.ui.fragments import iso_time, status_pill, version_label, when
from accord_broker.web.links import segment

_NOTHING = '<span class="muted">—</span>'


def integration_rows(rows: Sequence[IntegrationRow], other_role: str, ui: str) -> Markup:
    """The ``<tr class="integration">`` rows of one of the page's integration tables: the
    other side is the provider when ``other_role`` is ``"Provider"``, else the consumer."""
    base = escape(ui)
    out = []
    for row in rows:
        consumer, provider = escape(row.consumer), escape(row.provider)
        other = row.provider if other_role == "Provider" else row.consumer
        pair = f"provider/{escape(segment(row.provider))}/consumer/{escape(segment(row.consumer))}"
        out.append(
            f'  <tr class="integration" data-consumer="{consumer}" data-provider="{provider}">\n'
            f'    <td><a href="{base}/pacticipants/{escape(segment(other))}">{escape(other)}</a>'
            "</td>\n"
            f"    <td>{version_label(row.consumer_version)} · "
            f'<a href="{base}/pacts/{pair}/latest">{when(row.pact_published_at)}</a></td>\n'
            f"    <td>{status_pill(row.status)}</td>\n"
            f'    <td><a href="{base}/matrix/{pair}">matrix</a></td>\n'
            "  </tr>\n"
        )
    return Markup("".join(out))


def _status_cell(entry: VersionEntry, labels: Mapping[str, str]) -> str:
    """The version's verification: a pill and its counts (a dash when there is nothing)."""
    r = entry.verification
    status = r.status
    if status == "none":
        return _NOTHING
    counts = ""
    if r.pacts_passed or r.pacts_failed or r.pacts_unverified:
        counts = (
            f"pacts: {r.pacts_passed} ok, {r.pacts_failed} failed, {r.pacts_unverified} unverified"
        )
    if r.verified_passed or r.verified_failed:
        counts += f" verified {r.verified_passed} ok, {r.verified_failed} failed"
    return (
        f'<span class="pill status-{escape(status)}">{escape(labels[status])}</span>\n'
        f'        <span class="muted">{counts}</span>'
    )


def _environments_cell(entry: VersionEntry, base: str, quoted_name: str) -> str:
    """Where the version runs now (chips), then where it ran before ("was in" chips)."""
    parts = [
        f'<a class="chip env{" released" if e.released else ""}" '
        f'href="{base}/environments/{escape(segment(e.environment))}">{escape(e.environment)}</a> '
        for e in entry.environments
    ]
    parts += [
        f'<a class="chip" title="until {escape(iso_time(s.until))}" '
        f'href="{base}/environments/{escape(segment(s.environment))}?pacticipant={quoted_name}">'
        f"was in {escape(s.environment)}</a> "
        for s in entry.stays
        if s.until
    ]
    return "".join(parts)


def version_rows(
    versions: Sequence[VersionEntry], pacticipant: str, ui: str, labels: Mapping[str, str]
) -> Markup:
    """The ``<tr class="version-row">`` rows of the page's versions (``labels`` names each
    verification status)."""
    base = escape(ui)
    quoted_name = escape(do_urlencode(pacticipant))
    out = []
    for v in versions:
        number = v.label.number
        out.append(
            f'    <tr class="version-row" data-version="{escape(number)}" '
            f'data-status="{escape(v.verification.status)}"><td>{version_label(v.label)}</td>'
            f"<td>{when(v.created_at)}</td>\n"
            f'      <td class="version-status">{_status_cell(v, labels)}</td>\n'
            f"      <td>{_environments_cell(v, base, quoted_name)}</td>\n"
            f'      <td><a href="{base}/can-i-deploy?pacticipant={quoted_name}&amp;version='
            f'{escape(do_urlencode(number))}">can I deploy?</a></td></tr>\n'
        )
    return Markup("".join(out))
