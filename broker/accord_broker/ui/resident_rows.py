"""The environment page's table rows (what runs there now, and before), built in Python.

The page lists up to a page of residents twice; as a Jinja macro each cell was an attribute
lookup, a fragment call and an escape through Jinja's runtime, and rendering cost more than
the page's queries. Here each row is one f-string with the same markup, each application's
name escaped and quoted once per table. Every user-supplied value goes through ``escape``,
exactly as autoescaping did.
"""

from collections.abc import Sequence

from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from accord_broker.domain.deployments.environment_overview import Residency
from accord_broker.ui.fragments import version_label, when
from accord_broker.web.links import segment


def resident_rows(rows: Sequence[Residency], ended: bool, ui: str, environment: str) -> Markup:
    """The ``<tr class="resident">`` rows (with an "until" cell when ``ended``)."""
    base = escape(ui)
    history = f"{base}/environments/{escape(segment(environment))}?pacticipant="
    names: dict[str, tuple[str, str, str]] = {}
    out = []
    for r in rows:
        known = names.get(r.pacticipant)
        if known is None:
            known = names[r.pacticipant] = (
                escape(r.pacticipant),
                escape(segment(r.pacticipant)),
                escape(do_urlencode(r.pacticipant)),
            )
        name, page, check = known
        if r.released:
            how = "released"
        elif r.application_instance:
            how = f"deployed ({escape(r.application_instance)})"
        else:
            how = "deployed"
        until = f"<td>{when(r.until)}</td>" if ended else ""
        out.append(
            f'  <tr class="resident" data-pacticipant="{name}"><td class="name">'
            f'<a href="{base}/pacticipants/{page}">{name}</a></td>\n'
            f"    <td>{version_label(r.version)}</td>\n"
            f"    <td>{how}</td>\n"
            f"    <td>{when(r.since)}</td>{until}"
            f'    <td><a href="{history}{check}">history</a></td></tr>\n'
        )
    return Markup("".join(out))


def card_rows(rows: Sequence[Residency], ui: str) -> Markup:
    """The ``<tr class="resident">`` rows of an environment's card on the environments page."""
    base = escape(ui)
    out = []
    for r in rows:
        name = escape(r.pacticipant)
        if r.released:
            how = "released"
        elif r.application_instance:
            how = f"deployed ({escape(r.application_instance)})"
        else:
            how = "deployed"
        out.append(
            f'    <tr class="resident" data-pacticipant="{name}"><td>'
            f'<a href="{base}/pacticipants/{escape(segment(r.pacticipant))}">{name}</a></td>\n'
            f"      <td>{version_label(r.version)}</td>\n"
            f"      <td>{how}</td>\n"
            f"      <td>{when(r.since)}</td></tr>\n"
        )
    return Markup("".join(out))
