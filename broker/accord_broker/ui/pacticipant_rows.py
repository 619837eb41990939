"""The pacticipant page's table rows (its integrations and its versions), built in Python.

The page lists a page of versions with four cells of chips and links each, and every
integration with three links; as template code each value was an attribute lookup, a filter
and an escape through Jinja's runtime, and rendering cost as much as the page's statements.
Here each row is one f-string with the same markup (the template's whitespace included), each
name and label escaped and quoted once and remembered (``escaping``, ``fragments``), cells
formatted as text into their row and the table made ``Markup`` once, ages counted from the
page's moment. Every user-supplied value goes through ``escape``, exactly as autoescaping did.
"""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from markupsafe import Markup

from accord_broker.domain.integrations.overview import IntegrationRow
from accord_broker.domain.pacticipants.pacticipant_overview import VersionEntry
from accord_broker.ui.escaping import escaped_query, escaped_segment, escaped_text
from accord_broker.ui.fragments import STATUS_PILLS, iso_time, version_label_html, when_html

_NOTHING = '<span class="muted">—</span>'


def integration_rows(
    rows: Sequence[IntegrationRow], other_role: str, ui: str, now: datetime | None = None
) -> Markup:
    """The ``<tr class="integration">`` rows of one of the page's integration tables: the
    other side is the provider when ``other_role`` is ``"Provider"``, else the consumer (ages
    counted from ``now``, the page's moment, default the present)."""
    now = now or datetime.now(UTC)
    base = escaped_text(ui)
    out = []
    for row in rows:
        consumer, provider = escaped_text(row.consumer), escaped_text(row.provider)
        other = row.provider if other_role == "Provider" else row.consumer
        pair = f"provider/{escaped_segment(row.provider)}/consumer/{escaped_segment(row.consumer)}"
        out.append(
            f'  <tr class="integration" data-consumer="{consumer}" data-provider="{provider}">\n'
            f'    <td><a href="{base}/pacticipants/{escaped_segment(other)}">'
            f"{escaped_text(other)}</a></td>\n"
            f"    <td>{version_label_html(row.consumer_version)} · "
            f'<a href="{base}/pacts/{pair}/latest">{when_html(row.pact_published_at, now)}</a>'
            "</td>\n"
            f"    <td>{STATUS_PILLS[row.status]}</td>\n"
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
        f'<span class="pill status-{escaped_text(status)}">{escaped_text(labels[status])}</span>\n'
        f'        <span class="muted">{counts}</span>'
    )


def _environments_cell(entry: VersionEntry, base: str, quoted_name: str) -> str:
    """Where the version runs now (chips), then where it ran before ("was in" chips)."""
    parts = [
        f'<a class="chip env{" released" if e.released else ""}" '
        f'href="{base}/environments/{escaped_segment(e.environment)}">'
        f"{escaped_text(e.environment)}</a> "
        for e in entry.environments
    ]
    parts += [
        f'<a class="chip" title="until {iso_time(s.until)}" '
        f'href="{base}/environments/{escaped_segment(s.environment)}?pacticipant={quoted_name}">'
        f"was in {escaped_text(s.environment)}</a> "
        for s in entry.stays
        if s.until
    ]
    return "".join(parts)


def version_rows(
    versions: Sequence[VersionEntry],
    pacticipant: str,
    ui: str,
    labels: Mapping[str, str],
    now: datetime | None = None,
) -> Markup:
    """The ``<tr class="version-row">`` rows of the page's versions (``labels`` names each
    verification status; ages counted from ``now``, the page's moment, default the present)."""
    now = now or datetime.now(UTC)
    base = escaped_text(ui)
    quoted_name = escaped_query(pacticipant)
    out = []
    for v in versions:
        number = v.label.number
        out.append(
            f'    <tr class="version-row" data-version="{escaped_text(number)}" '
            f'data-status="{escaped_text(v.verification.status)}">'
            f"<td>{version_label_html(v.label)}</td>"
            f"<td>{when_html(v.created_at, now)}</td>\n"
            f'      <td class="version-status">{_status_cell(v, labels)}</td>\n'
            f"      <td>{_environments_cell(v, base, quoted_name)}</td>\n"
            f'      <td><a href="{base}/can-i-deploy?pacticipant={quoted_name}&amp;version='
            f'{escaped_query(number)}">can I deploy?</a></td></tr>\n'
        )
    return Markup("".join(out))
