"""The pacticipants page's rows, built in Python rather than in the template.

A page of fifty applications made each row's eight values and four links go through Jinja's
runtime (an attribute lookup, a filter and an escape each), a millisecond of rendering; here
each row is one f-string with the same markup, every user-supplied value through ``escape``.
"""

from collections.abc import Sequence

from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from accord_broker.domain.pacticipants.pacticipant_list import PacticipantRow
from accord_broker.ui.fragments import version_label
from accord_broker.web.links import segment


def pacticipant_list_rows(rows: Sequence[PacticipantRow], ui: str) -> Markup:
    """The ``<tr class="pacticipant">`` rows (``ui`` is the UI's base URL)."""
    base = escape(ui)
    out = []
    for p in rows:
        quoted = escape(do_urlencode(p.name))
        labels = "".join(
            f'<a class="chip label" href="{base}/pacticipants?label={escape(do_urlencode(name))}">'
            f"{escape(name)}</a> "
            for name in p.labels
        )
        version = ""
        if p.latest_version:
            version = f"&amp;version={escape(do_urlencode(p.latest_version.number))}"
        out.append(
            f'  <tr class="pacticipant" data-name="{escape(p.name)}">\n'
            f'    <td class="name"><a href="{base}/pacticipants/{escape(segment(p.name))}">'
            f"{escape(p.display_name or p.name)}</a></td>\n"
            f"    <td>{escape(p.main_branch or '—')}</td>\n"
            f'    <td class="labels">{labels}</td>\n'
            f"    <td>{version_label(p.latest_version)}</td>\n"
            f"    <td>{p.integrations}</td>\n"
            f'    <td><a href="{base}/network?pacticipant={quoted}">network</a>\n'
            f'      · <a href="{base}/can-i-deploy?pacticipant={quoted}{version}">can I deploy?</a>'
            "</td>\n"
            "  </tr>\n"
        )
    return Markup("".join(out))
