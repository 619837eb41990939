"""The pacticipants page's rows, built in Python rather than in the template.

A page of fifty applications made each row's eight values and four links go through Jinja's
runtime (an attribute lookup, a filter and an escape each), a millisecond of rendering; here
each row is one f-string with the same markup, every user-supplied value through ``escape``,
each name escaped and quoted once and remembered (``escaping``: a page escaped five hundred
values and quoted a hundred and fifty, the same ones on every request).
"""

from collections.abc import Sequence

from markupsafe import Markup

from accord_broker.domain.pacticipants.pacticipant_list import PacticipantRow
from accord_broker.ui.escaping import escaped_query, escaped_segment, escaped_text
from accord_broker.ui.fragments import version_label_html


def pacticipant_list_rows(rows: Sequence[PacticipantRow], ui: str) -> Markup:
    """The ``<tr class="pacticipant">`` rows (``ui`` is the UI's base URL)."""
    base = escaped_text(ui)
    out = []
    for p in rows:
        quoted = escaped_query(p.name)
        labels = "".join(
            f'<a class="chip label" href="{base}/pacticipants?label={escaped_query(name)}">'
            f"{escaped_text(name)}</a> "
            for name in p.labels
        )
        version = ""
        if p.latest_version:
            version = f"&amp;version={escaped_query(p.latest_version.number)}"
        out.append(
            f'  <tr class="pacticipant" data-name="{escaped_text(p.name)}">\n'
            f'    <td class="name"><a href="{base}/pacticipants/{escaped_segment(p.name)}">'
            f"{escaped_text(p.display_name or p.name)}</a></td>\n"
            f"    <td>{escaped_text(p.main_branch or '—')}</td>\n"
            f'    <td class="labels">{labels}</td>\n'
            f"    <td>{version_label_html(p.latest_version)}</td>\n"
            f"    <td>{p.integrations}</td>\n"
            f'    <td><a href="{base}/network?pacticipant={quoted}">network</a>\n'
            f'      · <a href="{base}/can-i-deploy?pacticipant={quoted}{version}">can I deploy?</a>'
            "</td>\n"
            "  </tr>\n"
        )
    return Markup("".join(out))
