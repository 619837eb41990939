"""The V4 date/time generator ``expression`` grammar (spec §4.5), read and evaluated.

A ``Date``, ``Time`` or ``DateTime`` generator may carry an expression such as
``next june + 2 weeks @ 2 o'clock pm - 5 minutes``: a *date part*, then after ``@`` a *time
part*, each a base followed by ``+``/``-`` adjustments. The words and their meanings are those
of the reference implementation (pact-reference ``datetime_expressions.rs``; pact-jvm has the
same grammar), so a pact generates the same kind of value whichever tool runs it:

* date bases ``now``, ``today`` (both keep the base moment), ``tomorrow``, ``yesterday``;
  ``next``/``last`` with ``day``, ``week``, ``fortnight``, ``month``, ``year``, a weekday
  (``monday``/``mon``, ``tuesday``/``tues``, …) or a month (``january``/``jan``, …, ``may``);
* time bases ``now``, ``midnight``, ``noon``, ``N o'clock`` with ``am``/``pm`` (``N`` 1-12);
  ``next``/``last`` with ``hour``, ``minute``, ``second``, ``millisecond``;
* adjustments ``± N unit`` with a unit in the singular or plural.

These choices differ from the Rust reference on purpose (``docs/compatibility.md`` lists
them): words are case-insensitive; every unit may appear in either part (``+ 1 hour`` without
``@``, ``+ 2 fortnights``), where the reference takes only its date units before ``@`` and its
time units after it; a ``Date`` expression may have an ``@`` part and a blank part counts as
empty; month/year arithmetic clamps to the month's last day (Jan 31 + 1 month is Feb 29 in a
leap year, as pact-jvm and ``java.time`` do), where the Rust reference rolls to the first of the
following month; and ``12 o'clock pm`` is the next midnight (pact-jvm), where the Rust
reference leaves the time alone.

The module is pure: :func:`parse` turns text into a :class:`ParsedExpression`, :func:`evaluate`
applies one to a base moment. Problems raise :class:`~accord.errors.DateExpressionError`.
"""

import calendar
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from accord.errors import DateExpressionError

ExpressionKind = Literal["Date", "Time", "DateTime"]


class Unit(enum.Enum):
    """A length of time an adjustment moves by."""

    MILLISECOND = "millisecond"
    SECOND = "second"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    FORTNIGHT = "fortnight"
    MONTH = "month"
    YEAR = "year"


_UNITS: Final = {unit.value: unit for unit in Unit} | {unit.value + "s": unit for unit in Unit}
_FIXED_LENGTHS: Final[dict[Unit, timedelta]] = {
    Unit.MILLISECOND: timedelta(milliseconds=1),
    Unit.SECOND: timedelta(seconds=1),
    Unit.MINUTE: timedelta(minutes=1),
    Unit.HOUR: timedelta(hours=1),
    Unit.DAY: timedelta(days=1),
    Unit.WEEK: timedelta(weeks=1),
    Unit.FORTNIGHT: timedelta(weeks=2),
}
_WEEKDAYS: Final[dict[str, int]] = {
    word: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for word in names
}
_MONTHS: Final[dict[str, int]] = {
    word: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for word in names
}
_DATE_BASES: Final[dict[str, int]] = {"now": 0, "today": 0, "tomorrow": 1, "yesterday": -1}

_UNIT_CHOICES: Final = (
    "a unit (millisecond(s), second(s), minute(s), hour(s), day(s), week(s), fortnight(s), "
    "month(s) or year(s))"
)
_DATE_OFFSET_CHOICES: Final = (
    "day, week, fortnight, month, year, hour, minute, second, millisecond, "
    "a weekday (monday or mon, …) or a month (january or jan, …)"
)
_TIME_OFFSET_CHOICES: Final = (
    "hour, minute, second, millisecond, day, week, fortnight, month or year"
)
_MAX_DIGITS: Final = 18  # beyond any date a datetime holds, and cheap to convert
_DATE_START: Final = "now, today, tomorrow, yesterday, next, last, + or -"
_TIME_START: Final = "now, midnight, noon, 1-12 o'clock, next, last, + or -"


# --- tokens ---------------------------------------------------------------------------------


class TokenKind(enum.Enum):
    """What a token is, before the grammar gives it a meaning."""

    NUMBER = "number"
    SIGN = "sign"
    AT = "at"
    WORD = "word"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical item; ``position`` is its 0-based offset in the expression."""

    kind: TokenKind
    text: str
    position: int

    @property
    def word(self) -> str:
        """The text as the grammar compares it: lower case, typographic apostrophe folded."""
        return self.text.lower().replace("\u2019", "'")


def _is_word_char(char: str) -> bool:
    return (char.isascii() and (char.isalpha() or char == "'")) or char == "\u2019"


def tokenize(expression: str) -> list[Token]:
    """Split ``expression`` into numbers, signs, ``@``, words (``o'clock`` is one) and strays.

    Whitespace only separates; ``tomorrow+4years`` reads like ``tomorrow + 4 years``, as in
    the reference. A character the grammar never uses becomes a one-character ``OTHER`` token,
    so the parser can point at it.
    """
    tokens: list[Token] = []
    index = 0
    while index < len(expression):
        char = expression[index]
        if char.isspace():
            index += 1
            continue
        start = index
        if "0" <= char <= "9":
            while index < len(expression) and "0" <= expression[index] <= "9":
                index += 1
            kind = TokenKind.NUMBER
        elif _is_word_char(char):
            while index < len(expression) and _is_word_char(expression[index]):
                index += 1
            kind = TokenKind.WORD
        else:
            index += 1
            kind = {"+": TokenKind.SIGN, "-": TokenKind.SIGN, "@": TokenKind.AT}.get(
                char, TokenKind.OTHER
            )
        tokens.append(Token(kind, expression[start:index], start))
    return tokens


# --- the parsed form ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shift:
    """Move by ``amount`` units; ``amount`` is negative for ``-`` and ``last``."""

    amount: int
    unit: Unit


@dataclass(frozen=True, slots=True)
class ToWeekday:
    """Move to the next (``forward``) or last occurrence of ``weekday`` (0 is Monday), never
    staying on the base day: ``next monday`` on a Monday is a week later."""

    weekday: int
    forward: bool


@dataclass(frozen=True, slots=True)
class ToMonth:
    """Move to the first day of the next (``forward``) or last ``month`` (1-12), never the
    base's own month: ``last june`` in June is June 1 of the previous year."""

    month: int
    forward: bool


Adjustment = Shift | ToWeekday | ToMonth


@dataclass(frozen=True, slots=True)
class ClockBase:
    """The time part's starting point: ``now`` (``hour`` None keeps the moment), ``midnight``
    and ``noon`` (``from_midnight``: ``hour`` counts from midnight) or ``N o'clock`` with
    ``meridiem`` ``am``, ``pm`` or None (the next such hour: pm before noon, am from noon on).
    As in both references ``am``/``pm`` add the hour to midnight/noon: ``12 o'clock am`` is
    noon."""

    hour: int | None = None
    meridiem: Literal["am", "pm"] | None = None
    from_midnight: bool = False


@dataclass(frozen=True, slots=True)
class ParsedExpression:
    """A whole expression: the date part's day offset and adjustments, then the time part's."""

    day_offset: int = 0
    date_adjustments: tuple[Adjustment, ...] = ()
    clock: ClockBase = ClockBase()
    time_adjustments: tuple[Adjustment, ...] = ()


# --- parsing --------------------------------------------------------------------------------


class _Parser:
    """Reads one part (date or time) of an expression from its tokens, left to right."""

    def __init__(self, expression: str, tokens: Sequence[Token], end: int) -> None:
        self._expression = expression
        self._tokens = tokens
        self._index = 0
        self._end = end  # position just after this part, for "ended too early" messages

    def _peek(self) -> Token | None:
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def _take(self) -> Token | None:
        token = self._peek()
        if token is not None:
            self._index += 1
        return token

    def _fail(self, token: Token | None, expected: str) -> DateExpressionError:
        if token is None and self._end < len(self._expression):
            detail = (
                f"the date part ends at the '@' at position {self._end + 1} where {expected} "
                "was expected"
            )
        elif token is None:
            detail = f"the expression ends where {expected} was expected"
        else:
            detail = (
                f"did not understand {token.text!r} at position {token.position + 1}; "
                f"expected {expected}"
            )
        return DateExpressionError(self._expression, detail)

    def _number(self, token: Token) -> int:
        if len(token.text) > _MAX_DIGITS:
            raise self._fail(token, f"a number of at most {_MAX_DIGITS} digits")
        return int(token.text)

    def _shift(self, sign: Token) -> Shift:
        number = self._take()
        if number is None or number.kind is not TokenKind.NUMBER:
            raise self._fail(number, "a number")
        unit_token = self._take()
        unit = _UNITS.get(unit_token.word) if unit_token is not None else None
        if unit is None:
            raise self._fail(unit_token, _UNIT_CHOICES)
        amount = self._number(number)
        return Shift(-amount if sign.text == "-" else amount, unit)

    def _adjustments(self, first: list[Adjustment], after: str) -> tuple[Adjustment, ...]:
        """``± N unit`` repeated to the end of the part."""
        adjustments = list(first)
        while (token := self._take()) is not None:
            if token.kind is not TokenKind.SIGN:
                raise self._fail(token, after)
            adjustments.append(self._shift(token))
        return tuple(adjustments)

    def _relative(self, word: str, date_part: bool) -> Adjustment:
        """What follows ``next``/``last``: one unit, or (date part) a weekday or month."""
        forward = word == "next"
        token = self._take()
        name = token.word if token is not None else ""
        unit = _UNITS.get(name)
        if unit is not None and unit.value == name:
            return Shift(1 if forward else -1, unit)
        if date_part and name in _WEEKDAYS:
            return ToWeekday(_WEEKDAYS[name], forward)
        if date_part and name in _MONTHS:
            return ToMonth(_MONTHS[name], forward)
        raise self._fail(token, _DATE_OFFSET_CHOICES if date_part else _TIME_OFFSET_CHOICES)

    def date_part(self, continuation: str) -> tuple[int, tuple[Adjustment, ...]]:
        first = self._peek()
        if first is None:
            return 0, ()
        word = first.word if first.kind is TokenKind.WORD else ""
        if word in _DATE_BASES:
            self._take()
            return _DATE_BASES[word], self._adjustments([], continuation)
        if word in ("next", "last"):
            self._take()
            return 0, self._adjustments([self._relative(word, True)], continuation)
        if first.kind is TokenKind.SIGN:
            return 0, self._adjustments([], continuation)
        raise self._fail(first, _DATE_START)

    def time_part(self) -> tuple[ClockBase, tuple[Adjustment, ...]]:
        first = self._peek()
        if first is None:
            return ClockBase(), ()
        word = first.word if first.kind is TokenKind.WORD else ""
        if word in ("now", "midnight", "noon"):
            self._take()
            clock = {
                "now": ClockBase(),
                "midnight": ClockBase(0, from_midnight=True),
                "noon": ClockBase(12, from_midnight=True),
            }[word]
            return clock, self._adjustments([], "+ or -")
        if first.kind is TokenKind.NUMBER:
            self._take()
            clock = self._oclock(first)
            after = "+ or -" if clock.meridiem else "am, pm, + or -"
            return clock, self._adjustments([], after)
        if word in ("next", "last"):
            self._take()
            return ClockBase(), self._adjustments([self._relative(word, False)], "+ or -")
        if first.kind is TokenKind.SIGN:
            return ClockBase(), self._adjustments([], "+ or -")
        raise self._fail(first, _TIME_START)

    def _oclock(self, number: Token) -> ClockBase:
        hour = self._number(number)
        if not 1 <= hour <= 12:
            raise self._fail(number, "an hour from 1 to 12")
        oclock = self._take()
        if oclock is None or oclock.word != "o'clock":
            raise self._fail(oclock, "o'clock")
        meridiem = self._peek()
        if meridiem is not None and meridiem.word in ("am", "pm"):
            self._take()
            return ClockBase(hour, "am" if meridiem.word == "am" else "pm")
        return ClockBase(hour)


def parse(expression: str, kind: ExpressionKind = "DateTime") -> ParsedExpression:
    """Read ``expression``; a ``Time`` expression without ``@`` is a time part alone (as the
    reference's Time generator reads it), every other expression is ``date [@ time]``."""
    tokens = tokenize(expression)
    ats = [index for index, token in enumerate(tokens) if token.kind is TokenKind.AT]
    if len(ats) > 1:
        second = tokens[ats[1]]
        raise DateExpressionError(
            expression,
            f"did not understand the second '@' at position {second.position + 1}; "
            "expected one '@' between the date part and the time part",
        )
    if kind == "Time" and not ats:
        clock, time_adjustments = _Parser(expression, tokens, len(expression)).time_part()
        return ParsedExpression(clock=clock, time_adjustments=time_adjustments)
    split = ats[0] if ats else len(tokens)
    date_end = tokens[split].position if ats else len(expression)
    continuation = "+ or -" if ats else "+, - or @"
    day_offset, date_adjustments = _Parser(expression, tokens[:split], date_end).date_part(
        continuation
    )
    clock, time_adjustments = ClockBase(), ()
    if ats:
        time_parser = _Parser(expression, tokens[split + 1 :], len(expression))
        clock, time_adjustments = time_parser.time_part()
    return ParsedExpression(day_offset, date_adjustments, clock, time_adjustments)


# --- evaluation -----------------------------------------------------------------------------


def _add_months(moment: datetime, months: int) -> datetime:
    """Calendar months, clamping the day to the target month's length (Jan 31 → Feb 28/29)."""
    year, month_index = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return moment.replace(year=year, month=month_index + 1, day=min(moment.day, last_day))


def _apply(moment: datetime, adjustment: Adjustment) -> datetime:
    match adjustment:
        case Shift(amount, Unit.MONTH):
            return _add_months(moment, amount)
        case Shift(amount, Unit.YEAR):
            return _add_months(moment, 12 * amount)
        case Shift(amount, unit):
            return moment + _FIXED_LENGTHS[unit] * amount
        case ToWeekday(weekday, forward):
            if forward:
                return moment + timedelta(days=(weekday - moment.weekday()) % 7 or 7)
            return moment - timedelta(days=(moment.weekday() - weekday) % 7 or 7)
        case ToMonth(month, forward):
            first = moment.replace(day=1)
            if forward:
                return _add_months(first, (month - moment.month) % 12 or 12)
            return _add_months(first, -((moment.month - month) % 12 or 12))
    raise AssertionError(adjustment)  # pragma: no cover - the match is exhaustive


def _start_of_clock(moment: datetime, clock: ClockBase) -> datetime:
    if clock.hour is None:
        return moment
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if clock.from_midnight:
        return midnight + timedelta(hours=clock.hour)
    afternoon = clock.meridiem == "pm" or (clock.meridiem is None and moment.hour < 12)
    # The references add the hour to midnight or noon, so "12 o'clock am" is noon.
    return midnight + timedelta(hours=clock.hour + (12 if afternoon else 0))


def evaluate_parsed(parsed: ParsedExpression, base: datetime) -> datetime:
    """Apply a parsed expression to ``base``; may raise OverflowError/ValueError at year 1/9999."""
    moment = base + timedelta(days=parsed.day_offset)
    for adjustment in parsed.date_adjustments:
        moment = _apply(moment, adjustment)
    moment = _start_of_clock(moment, parsed.clock)
    for adjustment in parsed.time_adjustments:
        moment = _apply(moment, adjustment)
    return moment


def evaluate(expression: str, base: datetime, kind: ExpressionKind = "DateTime") -> datetime:
    """The moment ``expression`` names, relative to ``base`` (keeping its time zone)."""
    parsed = parse(expression, kind)
    try:
        return evaluate_parsed(parsed, base)
    except (OverflowError, ValueError):
        raise DateExpressionError(
            expression, "the result falls outside the years 1 to 9999; use smaller amounts"
        ) from None
