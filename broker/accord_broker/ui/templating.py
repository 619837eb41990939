"""The Jinja2 environment of the UI: autoescaping always on, and the filters the pages share.

Every value a page shows comes from users (pacticipant names, branch names, pact bodies), so
autoescaping is not optional here: templates never use ``|safe`` on data, and URLs are built
with :func:`segment` so a name cannot break out of its path segment.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from accord_broker.api.hal import segment

TEMPLATES = Path(__file__).parent / "templates"

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
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def make_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["seg"] = segment
    environment.filters["ago"] = describe_age
    environment.filters["iso"] = iso_time
    return environment


TEMPLATE_ENVIRONMENT = make_environment()


def render(template: str, **context: Any) -> str:
    return TEMPLATE_ENVIRONMENT.get_template(template).render(**context)
