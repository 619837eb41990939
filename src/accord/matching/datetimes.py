"""Java ``DateTimeFormatter``-style patterns (``yyyy-MM-dd'T'HH:mm:ss.SSSXXX``) as validators.

Pacts carry date/time formats in Java's pattern language; Python's ``strptime`` speaks another,
so the pattern is translated into a regular expression whose groups are then range-checked (a
month of 13 or a 31st of February fails). Only validation is needed for matching, so parsing
into a ``datetime`` is avoided.
"""

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from accord.errors import PactRegexError
from accord.pact.regex import PactRegex, compile_engine_pattern

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_SHORT_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_SHORT_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"


def _digits(count: int, *, lo: int = 1, hi: int = 2) -> str:
    """``d`` → 1-2 digits; ``dd`` → exactly 2; a longer run → exactly that many."""
    if count == 1:
        return rf"\d{{{lo},{hi}}}"
    return rf"\d{{{count}}}"


_HH = r"[+-](?:0\d|1[0-8])"  # offset hours: two digits, at most 18 (ZoneOffset's range)
_MM = r"[0-5]\d"
# Java's ISO offset styles by letter count: "+HHmm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss".
_ISO_OFFSETS = {
    1: f"{_HH}(?:{_MM})?",
    2: f"{_HH}{_MM}",
    3: f"{_HH}:{_MM}",
    4: f"{_HH}{_MM}(?:{_MM})?",
    5: f"{_HH}:{_MM}(?::{_MM})?",
}
_LOCALIZED_SHORT = rf"GMT(?:[+-]\d{{1,2}}(?::{_MM}(?::{_MM})?)?)?"  # O, as "GMT+8" / "GMT+8:30"
_LOCALIZED_FULL = rf"GMT(?:{_HH}:{_MM}(?::{_MM})?)?"  # OOOO and ZZZZ, as "GMT+08:00"
# Zone names and ids ``z`` reads: Java knows the region ids and the usual abbreviations.
_ZONE_NAME = (
    r"(?:[A-Z][A-Za-z]+(?:/[A-Za-z][A-Za-z0-9_+\-]*)+|Z|[A-Z]{2,5}"
    r"|(?:GMT|UTC|UT)[+-]\d{1,2}(?::\d{2})?|" + _ISO_OFFSETS[5] + ")"
)


def _offset(letter: str, count: int) -> str:
    """A zone letter exactly as Java's ``DateTimeFormatter`` parses it (strict mode).

    ``X`` writes zero as ``Z``; ``x`` writes it as digits and refuses ``Z``; ``Z`` (1-3) is
    ``+HHMM`` only, so ``yyyy-MM-dd'T'HH:mm:ssZ`` takes ``+0000`` but neither ``Z`` nor
    ``+00:00``; ``ZZZZ`` is the localized ``GMT+08:00`` and ``ZZZZZ`` is ``+08:00`` or ``Z``.
    """
    if count > 5 or (letter == "O" and count not in (1, 4)) or (letter == "z" and count > 4):
        raise ValueError(f"too many pattern letters {letter * count!r}")
    if letter == "X":
        return f"(?:Z|{_ISO_OFFSETS[count]})"
    if letter == "x":
        return _ISO_OFFSETS[count]
    if letter == "Z":
        if count <= 3:
            return _ISO_OFFSETS[2]
        return _LOCALIZED_FULL if count == 4 else f"(?:Z|{_ISO_OFFSETS[5]})"
    if letter == "O":
        return _LOCALIZED_SHORT if count == 1 else _LOCALIZED_FULL
    if letter == "z":
        return _ZONE_NAME
    # V (zone id): a region id, or UTC/GMT/Z and offsets
    return rf"(?:[A-Za-z][A-Za-z0-9_/+\-]*|{_ISO_OFFSETS[5]})"


# letter -> (group name or None, regex builder)
def _field(letter: str, count: int) -> tuple[str | None, str]:
    if letter in "yu":
        if count == 2:
            return "year2", r"\d{2}"
        return "year", r"[+-]?\d{4,9}" if count >= 4 else r"[+-]?\d{1,9}"
    if letter == "Y":
        return None, r"\d{2}" if count == 2 else r"\d{1,9}"
    if letter in "ML":
        if count >= 4:
            return "month_name", f"(?:{_MONTHS})"
        if count == 3:
            return "month_short", f"(?:{_SHORT_MONTHS})"
        return "month", _digits(count)
    if letter == "d":
        return "day", _digits(count)
    if letter == "D":
        return None, _digits(count, hi=3)
    if letter in "Qq":
        return None, "[1-4]" if count <= 2 else r"(?:Q[1-4]|[1-4](?:st|nd|rd|th) quarter)"
    if letter in "wW":
        return None, _digits(count)
    if letter in "FG":
        return None, r"\d" if letter == "F" else r"(?:AD|BC|Anno Domini|Before Christ|A|B)"
    if letter in "Eec":
        if count >= 4:
            return None, f"(?:{_DAYS})"
        if count == 3 or letter == "E":
            return None, f"(?:{_SHORT_DAYS})"
        return None, r"\d"
    if letter == "a":
        return None, r"(?:AM|PM)"  # Java parses the text case-sensitively
    if letter == "H":
        return "hour", _digits(count)
    if letter == "k":
        return "hour24", _digits(count)
    if letter == "h":
        return "hour12", _digits(count)
    if letter == "K":
        return "hour11", _digits(count)
    if letter == "m":
        return "minute", _digits(count)
    if letter == "s":
        return "second", _digits(count)
    if letter == "S":
        return None, rf"\d{{{count}}}"
    if letter in "AnN":
        return None, r"\d+"
    if letter in "XxZOzV":
        return None, _offset(letter, count)
    raise ValueError(f"unknown pattern letter {letter!r}")


_RANGES = {
    "month": (1, 12),
    "day": (1, 31),
    "hour": (0, 23),
    "hour24": (1, 24),
    "hour12": (1, 12),
    "hour11": (0, 11),
    "minute": (0, 59),
    "second": (0, 59),
}


@dataclass(frozen=True, slots=True)
class DatePattern:
    """A compiled Java date/time pattern: call :meth:`accepts` on a string."""

    pattern: str
    regex: PactRegex
    groups: tuple[str, ...]

    def accepts(self, text: str) -> bool:
        found = self.regex.fullmatch_groups(text)
        if found is None:
            return False
        values: dict[str, int] = {}
        for index, name in enumerate(self.groups, start=1):
            raw = found.group(index)
            if raw is None:
                continue
            if name in _RANGES:
                number = int(raw)
                lo, hi = _RANGES[name]
                if not lo <= number <= hi:
                    return False
                values[name] = number
            elif name == "year":
                values["year"] = int(raw)
        if "day" in values and "month" in values:
            year = values.get("year", 2000)  # a leap year when the year is unknown
            if year < 1 or year > 9999:
                return True
            return values["day"] <= calendar.monthrange(year, values["month"])[1]
        return True


def _quoted(pattern: str, start: int) -> tuple[str, int]:
    """The literal of the quoted section at ``start`` and the index after it.

    ``''`` is a quote, alone (``hh 'o''clock'``) or inside a section, as in Java.
    """
    if pattern.startswith("''", start):
        return "'", start + 2
    text: list[str] = []
    i = start + 1
    while i < len(pattern):
        if pattern[i] == "'":
            if pattern.startswith("''", i):
                text.append("'")
                i += 2
                continue
            return "".join(text), i + 1
        text.append(pattern[i])
        i += 1
    raise ValueError(f"unterminated quote in date pattern {pattern!r}")


@lru_cache(maxsize=256)
def compile_date_pattern(pattern: str) -> DatePattern:
    """Translate a Java pattern; ``ValueError`` if it uses letters Java does not define."""
    parts: list[str] = []
    groups: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        char = pattern[i]
        if char == "'":
            literal, i = _quoted(pattern, i)
            parts.append(re.escape(literal))
        elif char.isascii() and char.isalpha():
            j = i
            while j < n and pattern[j] == char:
                j += 1
            name, regex = _field(char, j - i)
            if name is not None and name not in groups:
                groups.append(name)
                parts.append(f"({regex})")
            else:
                parts.append(f"(?:{regex})")
            i = j
        elif char in "[]":  # optional sections: accept with or without
            parts.append("(?:" if char == "[" else ")?")
            i += 1
        else:
            parts.append(re.escape(char))
            i += 1
    # the linear-time engine of pact regexes: a format such as "AnAnAnAn" becomes \d+\d+\d+…,
    # which a backtracking engine takes minutes to refuse on a long run of digits (#20)
    try:
        compiled = compile_engine_pattern("".join(parts))
    except PactRegexError as exc:
        raise ValueError(exc.problem) from None
    return DatePattern(pattern, compiled, tuple(groups))
