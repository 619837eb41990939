"""The small HTML pieces every page repeats (status pills, version labels, times, placements).

They were Jinja macros; a macro call costs more than the rest of its table cell, and the index
makes ten of them per integration, so on a page of 50 integrations rendering cost more than
the queries. As Python functions returning ``Markup`` they produce the same HTML for a fraction
of the cost. Every user-supplied value goes through ``escape``, exactly as autoescaping did.

The row builders (``index_rows``, ``resident_rows``, ``pacticipant_rows``) call the ``*_html``
forms, which return the same markup as plain text: a ``Markup`` made for each cell only to be
formatted into its row at once was a third of a row's cost (issue #20); the row is made
``Markup`` once, whole.
"""

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from accord_broker.domain.integrations.integration_status import Status
from accord_broker.ui.escaping import SIZE, escaped_text

_UNITS = (
    (365 * 24 * 3600, "year"),
    (30 * 24 * 3600, "month"),
    (7 * 24 * 3600, "week"),
    (24 * 3600, "day"),
    (3600, "hour"),
    (60, "minute"),
)


def describe_age(then: datetime | None, now: datetime | None = None) -> str:
    """``"3 minutes ago"``, ``"just now"``, or ``""`` when there is no time at all."""
    if then is None:
        return ""
    now = now or datetime.now(UTC)
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = int((now - then).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"  # pragma: no cover - the minute unit always matches


def iso_time(value: datetime | None) -> str:
    """The instant in UTC to the second (``+00:00``); a value already in UTC, as the database
    gives them, is not converted again, nor copied when it has no fraction of a second (a page
    writes a hundred of these)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="seconds")  # the fraction cut off, as without a copy


_MISSING = Markup('<span class="muted">—</span>')
_STATUS_LABELS = {
    "success": "verified",
    "stale": "changed",
    "failed": "failed",
    "failed_pending": "failed (pending)",
    "never": "not verified",
}


STATUS_PILLS: dict[Status, str] = {
    status: (
        f'<span class="pill status-{escape(status.value)}" data-status="{escape(status.value)}">'
        f"{escape(_STATUS_LABELS[status.value])}</span>"
    )
    for status in Status
}
"""Each status's pill, made once: there are five."""


def status_pill(status: Status) -> Markup:
    return Markup(STATUS_PILLS[status])


def result_pill(success: bool | None) -> Markup:
    if success is None:
        return Markup('<span class="pill status-never">not verified</span>')
    if success:
        return Markup('<span class="pill status-success">verified</span>')
    return Markup('<span class="pill status-failed">failed</span>')


def version_label_html(label: Any) -> str:
    """``version_label`` as text (for a row builder: see the module's docstring)."""
    return _MISSING if label is None else _label_html(label)


@lru_cache(maxsize=SIZE)
def _label_html(label: Any) -> str:
    """A label's markup, remembered: a page shows a version on several rows, and the next
    request shows the same versions again (``escaping``'s reasons)."""
    html = f'<span class="version">{escaped_text(label.number)}</span>'
    for b in label.branches:
        html += f' <span class="chip branch" title="branch">{escaped_text(b)}</span>'
    for t in label.tags:
        html += f' <span class="chip tag" title="tag">{escaped_text(t)}</span>'
    return html


def version_label(label: Any) -> Markup:
    """A version number with its branch and tag chips (``label`` is a ``VersionLabel``)."""
    return Markup(version_label_html(label))


def when_html(value: datetime | None, now: datetime | None = None) -> str:
    """``when`` as text (for a row builder: see the module's docstring)."""
    if value is None:
        return _MISSING
    exact = iso_time(value)
    # digits, letters, ``-``, ``:`` and ``+`` only, in both: nothing to escape
    return f'<time datetime="{exact}" title="{exact}">{describe_age(value, now)}</time>'


def when(value: datetime | None, now: datetime | None = None) -> Markup:
    """A ``<time>`` saying how long ago (before ``now``, default the present), with the exact
    instant as its title. A page of many times passes one ``now``: the ages agree, and the
    clock is read once."""
    return Markup(when_html(value, now))


def placements_html(entries: Any) -> str:
    """``placements`` as text (for a row builder: see the module's docstring)."""
    html = ""
    for p in entries:
        kind, title = (" released", "released") if p.released else ("", "deployed")
        instance = p.application_instance
        if instance:
            title = escaped_text(f"{title} ({instance})")
            shown = f"{escaped_text(p.version)}{escaped_text(f' · {instance}')}"
        else:  # the two titles need no escaping
            shown = escaped_text(p.version)
        html += f'<span class="chip env{kind}" title="{title}">{shown}</span>'
    return html


def placements(entries: Any) -> Markup:
    """Chips for what is deployed (or released) in one environment (``Placement`` entries)."""
    return Markup(placements_html(entries))


def version_chips(chips: Any) -> Markup:
    """The chips after a version in the matrix: its branches (head or not), tags and current
    environments (``chips`` is a ``VersionChips`` or ``None``)."""
    if chips is None:
        return Markup("")
    parts = [
        f' <span class="chip branch" title="branch{" head" if head else ""}">{escape(name)}</span>'
        for name, head in chips.branches
    ]
    parts += [f' <span class="chip tag" title="tag">{escape(t)}</span>' for t in chips.tags]
    parts += [
        f' <span class="chip env" title="environment">{escape(e)}</span>'
        for e in chips.environments
    ]
    return Markup("".join(parts))


FRAGMENTS = {
    "status_pill": status_pill,
    "result_pill": result_pill,
    "version_label": version_label,
    "when": when,
    "placements": placements,
    "version_chips": version_chips,
}
"""The functions the templates call, registered as Jinja globals."""
