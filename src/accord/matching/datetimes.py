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

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_SHORT_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_SHORT_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"


def _digits(count: int, *, lo: int = 1, hi: int = 2) -> str:
    """``d`` → 1-2 digits; ``dd`` → exactly 2; a longer run → exactly that many."""
    if count == 1:
        return rf"\d{{{lo},{hi}}}"
    return rf"\d{{{count}}}"


def _offset(letter: str, count: int) -> str:
    if letter == "X":  # ISO offset with Z for zero
        core = {1: r"[+-]\d{2}(?:\d{2})?", 2: r"[+-]\d{4}", 3: r"[+-]\d{2}:\d{2}"}.get(
            count, r"[+-]\d{2}:?\d{2}(?::?\d{2})?"
        )
        return f"(?:Z|{core})"
    if letter == "x":
        return {1: r"[+-]\d{2}(?:\d{2})?", 2: r"[+-]\d{4}", 3: r"[+-]\d{2}:\d{2}"}.get(
            count, r"[+-]\d{2}:?\d{2}(?::?\d{2})?"
        )
    if letter == "Z":
        return r"(?:[+-]\d{4}|GMT(?:[+-]\d{1,2}(?::\d{2})?)?|Z|[+-]\d{2}:\d{2})"
    if letter == "O":
        return r"GMT(?:[+-]\d{1,2}(?::\d{2})?)?"
    # z (zone name) and V (zone id)
    return r"[A-Za-z][A-Za-z0-9_/+\-]*"


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
        return None, r"(?:AM|PM|am|pm)"
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
    regex: re.Pattern[str]
    groups: tuple[str, ...]

    def accepts(self, text: str) -> bool:
        found = self.regex.fullmatch(text)
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
            end = pattern.find("'", i + 1)
            if end == i + 1:  # '' is a literal quote
                parts.append("'")
                i += 2
                continue
            if end < 0:
                raise ValueError(f"unterminated quote in date pattern {pattern!r}")
            parts.append(re.escape(pattern[i + 1 : end]))
            i = end + 1
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
    return DatePattern(pattern, re.compile("".join(parts)), tuple(groups))
