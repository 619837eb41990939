"""Render a ``datetime`` with a Java ``DateTimeFormatter`` pattern (for date/time generators)."""

import re
from datetime import datetime
from typing import Final

_LETTER_RUN: Final = re.compile(r"'[^']*'|''|([A-Za-z])\1*")
_MONTHS: Final = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS: Final = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _offset(moment: datetime, *, colon: bool, zulu: bool) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return "Z" if zulu else "+0000"
    seconds = int(offset.total_seconds())
    if seconds == 0 and zulu:
        return "Z"
    sign = "+" if seconds >= 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" if colon else f"{sign}{hours:02d}{minutes:02d}"


def _field(moment: datetime, letter: str, count: int) -> str:
    if letter in "yu":
        return f"{moment.year % 100:02d}" if count == 2 else f"{moment.year:0{count}d}"
    if letter in "ML":
        if count >= 4:
            return _MONTHS[moment.month - 1]
        if count == 3:
            return _MONTHS[moment.month - 1][:3]
        return f"{moment.month:0{count}d}"
    simple = {
        "d": moment.day,
        "H": moment.hour,
        "k": moment.hour or 24,
        "h": (moment.hour % 12) or 12,
        "K": moment.hour % 12,
        "m": moment.minute,
        "s": moment.second,
        "D": moment.timetuple().tm_yday,
    }
    if letter in simple:
        return f"{simple[letter]:0{count}d}"
    if letter == "S":
        return f"{moment.microsecond:06d}"[:count].ljust(count, "0")
    if letter == "a":
        return "AM" if moment.hour < 12 else "PM"
    if letter in "Eec":
        day = _DAYS[moment.weekday()]
        return day if count >= 4 else day[:3]
    if letter == "X":
        return _offset(moment, colon=count >= 3, zulu=True)
    if letter in "xZ":
        return _offset(moment, colon=count >= 3 and letter == "x", zulu=False)
    if letter in "zV":
        return moment.tzname() or "UTC"
    if letter == "G":
        return "AD"
    return letter * count


def format_java(moment: datetime, pattern: str) -> str:
    """``format_java(dt, "yyyy-MM-dd'T'HH:mm:ss")`` → ``2024-05-01T13:02:03``."""

    def replace(found: re.Match[str]) -> str:
        token = found.group(0)
        if token == "''":
            return "'"
        if token.startswith("'"):
            return token[1:-1]
        return _field(moment, token[0], len(token))

    return _LETTER_RUN.sub(replace, pattern)
