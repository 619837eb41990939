"""The environment page's table rows (what runs there now, and before), built in Python.

The page lists up to a page of residents twice; as a Jinja macro each cell was an attribute
lookup, a fragment call and an escape through Jinja's runtime, and rendering cost more than
the page's queries. Here each row is one f-string with the same markup, each application's
name escaped and quoted once (and remembered: ``escaping``). Every user-supplied value goes
through ``escape``, exactly as autoescaping did. Cells are formatted as text into their row and
the table made ``Markup`` once, each version's label built once (``fragments``) and every age
counted from the page's moment (issue #20: a ``Markup`` per cell and a clock read per time were
a third of a row's cost).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from markupsafe import Markup

from accord_broker.domain.deployments.environment_overview import Residency
from accord_broker.ui.escaping import escaped_query, escaped_segment, escaped_text
from accord_broker.ui.fragments import version_label_html, when_html


def _how(r: Residency) -> str:
    if r.released:
        return "released"
    if r.application_instance:
        return f"deployed ({escaped_text(r.application_instance)})"
    return "deployed"


def resident_rows(
    rows: Sequence[Residency],
    ended: bool,
    ui: str,
    environment: str,
    now: datetime | None = None,
) -> Markup:
    """The ``<tr class="resident">`` rows (with an "until" cell when ``ended``; ages counted
    from ``now``, the page's moment, default the present)."""
    now = now or datetime.now(UTC)
    base = escaped_text(ui)
    history = f"{base}/environments/{escaped_segment(environment)}?pacticipant="
    out = []
    for r in rows:
        name = escaped_text(r.pacticipant)
        until = f"<td>{when_html(r.until, now)}</td>" if ended else ""
        out.append(
            f'  <tr class="resident" data-pacticipant="{name}"><td class="name">'
            f'<a href="{base}/pacticipants/{escaped_segment(r.pacticipant)}">{name}</a></td>\n'
            f"    <td>{version_label_html(r.version)}</td>\n"
            f"    <td>{_how(r)}</td>\n"
            f"    <td>{when_html(r.since, now)}</td>{until}"
            f'    <td><a href="{history}{escaped_query(r.pacticipant)}">history</a></td></tr>\n'
        )
    return Markup("".join(out))


def card_rows(rows: Sequence[Residency], ui: str, now: datetime | None = None) -> Markup:
    """The ``<tr class="resident">`` rows of an environment's card on the environments page
    (ages counted from ``now``, the page's moment, default the present)."""
    now = now or datetime.now(UTC)
    base = escaped_text(ui)
    out = []
    for r in rows:
        name = escaped_text(r.pacticipant)
        out.append(
            f'    <tr class="resident" data-pacticipant="{name}"><td>'
            f'<a href="{base}/pacticipants/{escaped_segment(r.pacticipant)}">{name}</a></td>\n'
            f"      <td>{version_label_html(r.version)}</td>\n"
            f"      <td>{_how(r)}</td>\n"
            f"      <td>{when_html(r.since, now)}</td></tr>\n"
        )
    return Markup("".join(out))
