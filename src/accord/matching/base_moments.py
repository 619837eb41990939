"""The moment ``Date``, ``Time`` and ``DateTime`` generators count from (spec §4.5).

Now, unless the provider-state context sets ``baseDate``, ``baseTime`` or ``baseDateTime`` (the
reference's keys), so a provider can pin "today" to a fixed day and the generated values stay
stable. Pure: the context and ``now`` are given. A value that cannot be read raises
:class:`~accord.errors.GeneratorBaseError`, naming the key, the value and the accepted forms.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Final

from accord.errors import GeneratorBaseError
from accord.matching.date_expressions import ExpressionKind

_BASE_KEYS: Final[Mapping[ExpressionKind, str]] = {
    "Date": "baseDate",
    "Time": "baseTime",
    "DateTime": "baseDateTime",
}
_DATE_TEXT: Final = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
_TIME_TEXT: Final = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
)
# Z, UTC, +hh, +hhmm or +hh:mm; a space may precede it, as in chrono's "2024-02-29 10:00:00 +01:00"
_OFFSET_TEXT: Final = r"(?:\s*(?P<offset>[Zz]|UTC|[+-]\d{2}(?::?\d{2})?))?"
_BASE_FORMS: Final[Mapping[str, re.Pattern[str]]] = {
    "a date": re.compile(_DATE_TEXT),
    "a time": re.compile(_TIME_TEXT + _OFFSET_TEXT),
    "a date-time": re.compile(_DATE_TEXT + r"[Tt ]" + _TIME_TEXT + _OFFSET_TEXT),
}
_FORMS_BY_KEY: Final[Mapping[str, tuple[str, ...]]] = {
    "baseDate": ("a date", "a date-time"),
    "baseTime": ("a time", "a date-time"),
    "baseDateTime": ("a date-time",),
}
_EXPECTED_BY_KEY: Final[Mapping[str, str]] = {
    "baseDate": "an ISO 8601 date such as 2024-02-29, or a date-time such as "
    "2024-02-29T10:15:30+01:00",
    "baseTime": "an ISO 8601 time such as 10:15:30 or 10:15:30+01:00, or a date-time such as "
    "2024-02-29T10:15:30+01:00",
    "baseDateTime": "an ISO 8601 date-time such as 2024-02-29T10:15:30+01:00 (the offset may "
    "be left out)",
}
_ABSENT: Final = object()


@dataclass(frozen=True, slots=True)
class BaseValue:
    """What one base key holds: a calendar ``day``, a ``clock`` time (naive) and the UTC
    ``offset`` written with them; each is None when the text did not give it."""

    day: date | None
    clock: time | None
    offset: tzinfo | None


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def _offset(text: str) -> tzinfo:
    if text in ("Z", "z", "UTC"):
        return UTC
    hours, minutes = int(text[1:3]), int(text[3:].lstrip(":") or 0)
    if minutes > 59:
        raise ValueError(f"the offset's minutes must be in 0..59, not {minutes}")
    if hours > 23:
        raise ValueError(f"the offset's hours must be in 0..23, not {hours}")
    size = timedelta(hours=hours, minutes=minutes)
    return timezone(-size if text[0] == "-" else size)


def _base_value(found: re.Match[str]) -> BaseValue:
    """The parts of a matched base text; ``ValueError`` when a part is out of range."""
    parts = found.groupdict()
    day = clock = None
    if parts.get("year") is not None:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    if parts.get("hour") is not None:
        micro = int((parts["fraction"] or "")[:6].ljust(6, "0"))
        clock = time(int(parts["hour"]), int(parts["minute"]), int(parts["second"] or 0), micro)
    offset = _offset(parts["offset"]) if parts.get("offset") else None
    return BaseValue(day, clock, offset)


def parse_base_value(key: str, value: object) -> BaseValue:
    """Read the provider-state value of ``key`` (``baseDate``, ``baseTime``, ``baseDateTime``).

    ``baseDate`` takes a date or a date-time, ``baseTime`` a time or a date-time and
    ``baseDateTime`` a date-time; the offset is optional everywhere. Anything else raises
    :class:`~accord.errors.GeneratorBaseError` naming the key, the value and the forms it takes.
    """
    expected = _EXPECTED_BY_KEY[key]
    if not isinstance(value, str):
        raise GeneratorBaseError(key, value, expected, f"it is {_json_kind(value)}, not text")
    forms = _FORMS_BY_KEY[key]
    for form in forms:
        found = _BASE_FORMS[form].fullmatch(value.strip())
        if found is not None:
            try:
                return _base_value(found)
            except ValueError as exc:
                raise GeneratorBaseError(key, value, expected, str(exc)) from None
    raise GeneratorBaseError(key, value, expected, f"it is not {' or '.join(forms)}")


def _read_base(context: Mapping[str, Any], key: str) -> BaseValue | None:
    """``key`` from the context's top level, else from a nested ``providerState`` object."""
    value = context.get(key, _ABSENT)
    if value is _ABSENT:
        state = context.get("providerState")
        value = state.get(key, _ABSENT) if isinstance(state, Mapping) else _ABSENT
    return None if value is _ABSENT else parse_base_value(key, value)


def _base_moment(kind: ExpressionKind, context: Mapping[str, Any], now: datetime) -> datetime:
    own_key = _BASE_KEYS[kind]
    own = _read_base(context, own_key)
    if own is not None and own.day is not None and own.clock is not None:
        return datetime.combine(own.day, own.clock, own.offset or now.tzinfo)
    day_source = own if own_key == "baseDate" else _read_base(context, "baseDate")
    time_source = own if own_key == "baseTime" else _read_base(context, "baseTime")
    zone = next(
        (
            source.offset
            for source in (time_source, day_source)
            if source is not None and source.offset is not None
        ),
        now.tzinfo,
    )
    # "now" as a clock in the chosen offset shows, for the parts no key gives
    seen = now.astimezone(zone) if zone is not None and now.tzinfo is not None else now
    day = day_source.day if day_source is not None else None
    clock = time_source.clock if time_source is not None else None
    return datetime.combine(
        seen.date() if day is None else day, seen.time() if clock is None else clock, zone
    )


def base_moment(kind: ExpressionKind, context: Mapping[str, Any], now: datetime) -> datetime:
    """The moment a ``kind`` generator counts from, given the provider-state ``context``.

    The generator's own key (``Date``: ``baseDate``, ``Time``: ``baseTime``, ``DateTime``:
    ``baseDateTime``) wins when it holds a whole date-time, as in the reference. Otherwise the
    base is assembled: its day from ``baseDate``, its time of day from ``baseTime``, its offset
    from whichever of them wrote one (``baseTime`` first), and what none gives from ``now`` seen
    in that offset. A ``DateTime`` generator without ``baseDateTime`` is assembled the same way.
    Keys are looked up at the context's top level, then in a nested ``providerState`` object.
    """
    return _base_moment(kind, context, now)
