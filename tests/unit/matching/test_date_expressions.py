"""V4 date/time generator expressions (spec §4.5): the reference grammar, evaluated.

Rows marked "reference" are the expectations of pact-reference's own tests
(``datetime_expressions.rs``, base 2000-01-01T10:00Z, a Saturday, and 2020-01-01T10:00Z, a
Wednesday); the other rows pin accord's choices where the references are silent or differ.
"""

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import DateExpressionError
from accord.matching.date_expressions import (
    ClockBase,
    ExpressionKind,
    ParsedExpression,
    Shift,
    ToMonth,
    ToWeekday,
    Unit,
    evaluate,
    parse,
    tokenize,
)
from accord.matching.generated_values import GenerationError, evaluate_date_expression, generate
from accord.pact.model import Generator

Y2K = datetime(2000, 1, 1, 10, 0, tzinfo=UTC)  # a Saturday
NEW_YEAR_2020 = datetime(2020, 1, 1, 10, 0, tzinfo=UTC)  # a Wednesday


def _at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


# --- the reference's own expectations -------------------------------------------------------

REFERENCE_DATE_ROWS = [
    ("", _at(2000, 1, 1, 10)),
    ("now", _at(2000, 1, 1, 10)),
    ("today", _at(2000, 1, 1, 10)),
    ("yesterday", _at(1999, 12, 31, 10)),
    ("tomorrow", _at(2000, 1, 2, 10)),
    ("+ 1 day", _at(2000, 1, 2, 10)),
    ("+ 1 week", _at(2000, 1, 8, 10)),
    ("- 2 weeks", _at(1999, 12, 18, 10)),
    ("+ 4 years", _at(2004, 1, 1, 10)),
    ("tomorrow+ 4 years", _at(2004, 1, 2, 10)),
    ("next week", _at(2000, 1, 8, 10)),
    ("last month", _at(1999, 12, 1, 10)),
    ("next fortnight", _at(2000, 1, 15, 10)),
    ("next monday", _at(2000, 1, 3, 10)),
    ("last wednesday", _at(1999, 12, 29, 10)),
    ("next mon", _at(2000, 1, 3, 10)),
    ("last december", _at(1999, 12, 1, 10)),
    ("next jan", _at(2001, 1, 1, 10)),
    ("next june + 2 weeks", _at(2000, 6, 15, 10)),
    ("last mon + 2 weeks", _at(2000, 1, 10, 10)),
    ("+ 1 day - 2 weeks", _at(1999, 12, 19, 10)),
    ("last december + 2 weeks + 4 days", _at(1999, 12, 19, 10)),
    ("+1 day", _at(2000, 1, 2, 10)),
    ("+ 2 weeks - 1 day", _at(2000, 1, 14, 10)),
    ("  today   ", _at(2000, 1, 1, 10)),
    ("today + 2 week", _at(2000, 1, 15, 10)),
]


@pytest.mark.parametrize(("expression", "expected"), REFERENCE_DATE_ROWS)
def test_date_parts_move_from_the_base_as_the_reference_does(
    expression: str, expected: datetime
) -> None:
    assert evaluate(expression, Y2K, "Date") == expected


REFERENCE_TIME_ROWS = [
    ("", "10:00:00"),
    ("now", "10:00:00"),
    ("midnight", "00:00:00"),
    ("noon", "12:00:00"),
    ("1 o'clock", "13:00:00"),
    ("1 o'clock am", "01:00:00"),
    ("1 o'clock pm", "13:00:00"),
    ("+ 1 hour", "11:00:00"),
    ("- 2 minutes", "09:58:00"),
    ("+ 4 seconds", "10:00:04"),
    ("+ 4 milliseconds", "10:00:00.004000"),
    ("midnight+ 4 minutes", "00:04:00"),
    ("next hour", "11:00:00"),
    ("last minute", "09:59:00"),
    ("now + 2 hours - 4 minutes", "11:56:00"),
    (" + 2 hours - 4 minutes", "11:56:00"),
    ("2 o'clock", "14:00:00"),
    ("12 o'clock am", "12:00:00"),
]


@pytest.mark.parametrize(("expression", "expected"), REFERENCE_TIME_ROWS)
def test_time_generator_expressions_are_time_parts_as_in_the_reference(
    expression: str, expected: str
) -> None:
    result = evaluate(expression, Y2K, "Time")
    assert result.date() == Y2K.date()
    assert result.time().isoformat() == expected


REFERENCE_DATETIME_ROWS = [
    ("@ now", "2000-01-01T10:00:00+00:00"),
    ("@ midnight", "2000-01-01T00:00:00+00:00"),
    ("@ noon", "2000-01-01T12:00:00+00:00"),
    ("@ 2 o'clock", "2000-01-01T14:00:00+00:00"),
    ("@ 12 o'clock am", "2000-01-01T12:00:00+00:00"),
    ("@ 1 o'clock pm", "2000-01-01T13:00:00+00:00"),
    ("@ - 2 minutes", "2000-01-01T09:58:00+00:00"),
    ("@ + 4 milliseconds", "2000-01-01T10:00:00.004000+00:00"),
    ("@ midnight+ 4 minutes", "2000-01-01T00:04:00+00:00"),
    ("@  + 2 hours - 4 minutes", "2000-01-01T11:56:00+00:00"),
    ("today @ 1 o'clock", "2000-01-01T13:00:00+00:00"),
    ("yesterday @ midnight", "1999-12-31T00:00:00+00:00"),
    ("yesterday @ midnight - 1 hour", "1999-12-30T23:00:00+00:00"),
    ("tomorrow @ now", "2000-01-02T10:00:00+00:00"),
    ("+ 1 day @ noon", "2000-01-02T12:00:00+00:00"),
    ("+ 1 week @ +1 hour", "2000-01-08T11:00:00+00:00"),
    ("- 2 weeks @ now + 1 hour", "1999-12-18T11:00:00+00:00"),
    ("+ 4 years @ midnight", "2004-01-01T00:00:00+00:00"),
    ("tomorrow+ 4 years @ 3 o'clock + 40 milliseconds", "2004-01-02T15:00:00.040000+00:00"),
    ("next week @ next hour", "2000-01-08T11:00:00+00:00"),
    ("last month @ last hour", "1999-12-01T09:00:00+00:00"),
]


@pytest.mark.parametrize(("expression", "expected"), REFERENCE_DATETIME_ROWS)
def test_datetime_expressions_apply_the_time_part_to_the_moved_date(
    expression: str, expected: str
) -> None:
    assert evaluate(expression, Y2K, "DateTime").isoformat() == expected


NEXT_AND_LAST_FROM_A_WEDNESDAY = [
    ("next monday", _at(2020, 1, 6, 10)),
    ("next tuesday", _at(2020, 1, 7, 10)),
    ("next wednesday", _at(2020, 1, 8, 10)),
    ("next thursday", _at(2020, 1, 2, 10)),
    ("next friday", _at(2020, 1, 3, 10)),
    ("next saturday", _at(2020, 1, 4, 10)),
    ("next sunday", _at(2020, 1, 5, 10)),
    ("last monday", _at(2019, 12, 30, 10)),
    ("last tuesday", _at(2019, 12, 31, 10)),
    ("last wednesday", _at(2019, 12, 25, 10)),
    ("last thursday", _at(2019, 12, 26, 10)),
    ("last friday", _at(2019, 12, 27, 10)),
    ("last saturday", _at(2019, 12, 28, 10)),
    ("last sunday", _at(2019, 12, 29, 10)),
    ("next january", _at(2021, 1, 1, 10)),
    ("next february", _at(2020, 2, 1, 10)),
    ("next march", _at(2020, 3, 1, 10)),
    ("next april", _at(2020, 4, 1, 10)),
    ("next may", _at(2020, 5, 1, 10)),
    ("next june", _at(2020, 6, 1, 10)),
    ("next july", _at(2020, 7, 1, 10)),
    ("next august", _at(2020, 8, 1, 10)),
    ("next september", _at(2020, 9, 1, 10)),
    ("next october", _at(2020, 10, 1, 10)),
    ("next november", _at(2020, 11, 1, 10)),
    ("next december", _at(2020, 12, 1, 10)),
    ("last january", _at(2019, 1, 1, 10)),
    ("last february", _at(2019, 2, 1, 10)),
    ("last june", _at(2019, 6, 1, 10)),
    ("last december", _at(2019, 12, 1, 10)),
    ("- 1 day", _at(2019, 12, 31, 10)),
    ("- 1 month", _at(2019, 12, 1, 10)),
    ("- 1 year", _at(2019, 1, 1, 10)),
    ("- 1 week", _at(2019, 12, 25, 10)),
    ("+ 1 month", _at(2020, 2, 1, 10)),
    ("+ 4 months", _at(2020, 5, 1, 10)),
    ("+ 13 months", _at(2021, 2, 1, 10)),
    ("+ 1 year", _at(2021, 1, 1, 10)),
]


@pytest.mark.parametrize(("expression", "expected"), NEXT_AND_LAST_FROM_A_WEDNESDAY)
def test_weekdays_and_months_are_reached_as_in_the_reference(
    expression: str, expected: datetime
) -> None:
    assert evaluate(expression, NEW_YEAR_2020, "Date") == expected


@pytest.mark.parametrize(
    ("base", "expression", "expected"),
    [
        (_at(2000, 4, 13, 10), "+ 1 month", _at(2000, 5, 13, 10)),
        (_at(2000, 4, 13, 10), "- 1 month", _at(2000, 3, 13, 10)),
        (_at(2000, 4, 13, 10), "+ 10 months", _at(2001, 2, 13, 10)),
        (_at(2000, 4, 13, 10), "- 10 months", _at(1999, 6, 13, 10)),
        (_at(2000, 4, 13, 10), "+ 0 months", _at(2000, 4, 13, 10)),
        (_at(2020, 12, 1, 10), "+ 1 month", _at(2021, 1, 1, 10)),
    ],
)
def test_months_roll_over_year_ends_as_in_the_reference(
    base: datetime, expression: str, expected: datetime
) -> None:
    assert evaluate(expression, base) == expected


# --- month ends, leap days, Mondays, June ---------------------------------------------------


@pytest.mark.parametrize(
    ("base", "expression", "expected"),
    [
        (_at(2024, 1, 31, 9), "+ 1 month", _at(2024, 2, 29, 9)),
        (_at(2023, 1, 31, 9), "+ 1 month", _at(2023, 2, 28, 9)),
        (_at(2024, 3, 31, 9), "+ 1 month", _at(2024, 4, 30, 9)),
        (_at(2024, 3, 31, 9), "- 1 month", _at(2024, 2, 29, 9)),
        (_at(2024, 1, 31, 9), "next month", _at(2024, 2, 29, 9)),
        (_at(2024, 3, 31, 9), "last month", _at(2024, 2, 29, 9)),
        (_at(2024, 1, 31, 9), "+ 2 months", _at(2024, 3, 31, 9)),
        (_at(2024, 2, 29, 9), "+ 1 year", _at(2025, 2, 28, 9)),
        (_at(2024, 2, 29, 9), "- 4 years", _at(2020, 2, 29, 9)),
        (_at(2024, 2, 29, 9), "next year", _at(2025, 2, 28, 9)),
        (_at(2024, 2, 29, 9), "+ 12 months", _at(2025, 2, 28, 9)),
        (_at(2024, 2, 28, 9), "tomorrow", _at(2024, 2, 29, 9)),
        (_at(2023, 12, 31, 23, 30), "@ + 1 hour", _at(2024, 1, 1, 0, 30)),
    ],
)
def test_month_and_year_arithmetic_clamps_to_the_last_day_of_the_month(
    base: datetime, expression: str, expected: datetime
) -> None:
    assert evaluate(expression, base) == expected


MONDAY = _at(2024, 6, 3, 8, 15)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("next monday", _at(2024, 6, 10, 8, 15)),
        ("last monday", _at(2024, 5, 27, 8, 15)),
        ("next mon", _at(2024, 6, 10, 8, 15)),
        ("next tuesday", _at(2024, 6, 4, 8, 15)),
        ("next tues", _at(2024, 6, 4, 8, 15)),
        ("last sunday", _at(2024, 6, 2, 8, 15)),
        ("last sun", _at(2024, 6, 2, 8, 15)),
        ("next wed", _at(2024, 6, 5, 8, 15)),
        ("next thurs", _at(2024, 6, 6, 8, 15)),
        ("next fri", _at(2024, 6, 7, 8, 15)),
        ("next sat", _at(2024, 6, 8, 8, 15)),
    ],
)
def test_next_and_last_weekday_never_stay_on_the_base_day(
    expression: str, expected: datetime
) -> None:
    assert evaluate(expression, MONDAY) == expected


MID_JUNE = _at(2024, 6, 15, 18, 45)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("next june", _at(2025, 6, 1, 18, 45)),
        ("last june", _at(2023, 6, 1, 18, 45)),
        ("next jun", _at(2025, 6, 1, 18, 45)),
        ("next july", _at(2024, 7, 1, 18, 45)),
        ("last may", _at(2024, 5, 1, 18, 45)),
        ("next may", _at(2025, 5, 1, 18, 45)),
        ("last jul", _at(2023, 7, 1, 18, 45)),
        ("next dec", _at(2024, 12, 1, 18, 45)),
        ("last jan", _at(2024, 1, 1, 18, 45)),
        ("next feb", _at(2025, 2, 1, 18, 45)),
        ("next mar", _at(2025, 3, 1, 18, 45)),
        ("last apr", _at(2024, 4, 1, 18, 45)),
        ("next aug", _at(2024, 8, 1, 18, 45)),
        ("next sep", _at(2024, 9, 1, 18, 45)),
        ("next oct", _at(2024, 10, 1, 18, 45)),
        ("next nov", _at(2024, 11, 1, 18, 45)),
        ("next june + 2 weeks", _at(2025, 6, 15, 18, 45)),
        ("last june @ midnight", _at(2023, 6, 1)),
    ],
)
def test_next_and_last_month_name_go_to_its_first_day_never_the_base_month(
    expression: str, expected: datetime
) -> None:
    assert evaluate(expression, MID_JUNE) == expected


# --- the time part --------------------------------------------------------------------------

AFTERNOON = _at(2024, 6, 3, 15, 30, 12, 345000)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("2 o'clock", _at(2024, 6, 3, 2)),
        ("12 o'clock", _at(2024, 6, 3, 12)),
        ("12 o'clock am", _at(2024, 6, 3, 12)),
        ("12 o'clock pm", _at(2024, 6, 4)),
        ("11 o'clock pm", _at(2024, 6, 3, 23)),
        ("midnight", _at(2024, 6, 3)),
        ("noon", _at(2024, 6, 3, 12)),
        ("now", AFTERNOON),
        ("next second", AFTERNOON + timedelta(seconds=1)),
        ("last millisecond", AFTERNOON - timedelta(milliseconds=1)),
        ("noon - 30 seconds", _at(2024, 6, 3, 11, 59, 30)),
        ("midnight - 1 millisecond", _at(2024, 6, 2, 23, 59, 59, 999000)),
        ("5 o'clock pm + 90 minutes", _at(2024, 6, 3, 18, 30)),
    ],
)
def test_clock_bases_start_from_the_whole_hour(expression: str, expected: datetime) -> None:
    assert evaluate(expression, AFTERNOON, "Time") == expected


def test_an_unqualified_hour_before_noon_means_the_afternoon() -> None:
    morning = _at(2024, 6, 3, 9, 5)
    assert evaluate("@ 3 o'clock", morning) == _at(2024, 6, 3, 15)
    assert evaluate("@ 12 o'clock", morning) == _at(2024, 6, 4)


# --- spelling, units, kinds, time zones -----------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Tomorrow @ Noon", _at(2000, 1, 2, 12)),
        ("NEXT June", _at(2000, 6, 1, 10)),
        ("tomorrow+4years", _at(2004, 1, 2, 10)),
        ("+1day@midnight", _at(2000, 1, 2)),
        ("@ 2 o\u2019clock pm", _at(2000, 1, 1, 14)),
        ("\ttoday\n+ 1\tday ", _at(2000, 1, 2, 10)),
    ],
)
def test_words_ignore_case_and_spacing(expression: str, expected: datetime) -> None:
    assert evaluate(expression, Y2K) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("+ 1 millisecond", Y2K + timedelta(milliseconds=1)),
        ("+ 2 milliseconds", Y2K + timedelta(milliseconds=2)),
        ("+ 1 second", Y2K + timedelta(seconds=1)),
        ("+ 2 seconds", Y2K + timedelta(seconds=2)),
        ("+ 1 minute", Y2K + timedelta(minutes=1)),
        ("+ 2 minutes", Y2K + timedelta(minutes=2)),
        ("+ 1 hour", Y2K + timedelta(hours=1)),
        ("+ 2 hours", Y2K + timedelta(hours=2)),
        ("+ 1 day", Y2K + timedelta(days=1)),
        ("+ 2 days", Y2K + timedelta(days=2)),
        ("+ 1 week", Y2K + timedelta(weeks=1)),
        ("+ 2 weeks", Y2K + timedelta(weeks=2)),
        ("+ 1 fortnight", Y2K + timedelta(weeks=2)),
        ("+ 2 fortnights", Y2K + timedelta(weeks=4)),
        ("+ 1 month", _at(2000, 2, 1, 10)),
        ("+ 2 months", _at(2000, 3, 1, 10)),
        ("+ 1 year", _at(2001, 1, 1, 10)),
        ("+ 2 years", _at(2002, 1, 1, 10)),
        ("next day", _at(2000, 1, 2, 10)),
        ("last year", _at(1999, 1, 1, 10)),
        ("@ + 1 day", _at(2000, 1, 2, 10)),
        ("@ next week", _at(2000, 1, 8, 10)),
    ],
)
def test_every_unit_works_in_either_part(expression: str, expected: datetime) -> None:
    assert evaluate(expression, Y2K) == expected


@pytest.mark.parametrize(
    ("kind", "expression", "expected"),
    [
        ("Time", "noon", _at(2000, 1, 1, 12)),
        ("Time", "tomorrow @ noon", _at(2000, 1, 2, 12)),
        ("Date", "tomorrow @ midnight", _at(2000, 1, 2)),
        ("Date", "@ - 11 hours", _at(1999, 12, 31, 23)),
        ("DateTime", "@", Y2K),
        ("DateTime", "today @", Y2K),
        ("DateTime", "   ", Y2K),
    ],
)
def test_each_generator_kind_reads_its_expression(
    kind: ExpressionKind, expression: str, expected: datetime
) -> None:
    assert evaluate(expression, Y2K, kind) == expected


def test_the_base_time_zone_is_kept() -> None:
    plus_two = timezone(timedelta(hours=2))
    base = datetime(2024, 3, 30, 23, 0, tzinfo=plus_two)
    result = evaluate("tomorrow @ 1 o'clock am", base)
    assert result == datetime(2024, 3, 31, 1, 0, tzinfo=plus_two)
    assert result.utcoffset() == timedelta(hours=2)


def test_the_parsed_form_names_each_step() -> None:
    assert parse("next june + 2 weeks @ 3 o'clock pm - 5 minutes") == ParsedExpression(
        day_offset=0,
        date_adjustments=(ToMonth(6, forward=True), Shift(2, Unit.WEEK)),
        clock=ClockBase(3, "pm"),
        time_adjustments=(Shift(-5, Unit.MINUTE),),
    )
    assert parse("yesterday - 1 fortnight @ midnight") == ParsedExpression(
        day_offset=-1,
        date_adjustments=(Shift(-1, Unit.FORTNIGHT),),
        clock=ClockBase(0, from_midnight=True),
    )
    assert parse("last fri").date_adjustments == (ToWeekday(4, forward=False),)


def test_tokens_keep_their_positions() -> None:
    tokens = tokenize("tomorrow+4 o'clock@x!")
    assert [(token.text, token.position) for token in tokens] == [
        ("tomorrow", 0),
        ("+", 8),
        ("4", 9),
        ("o'clock", 11),
        ("@", 18),
        ("x", 19),
        ("!", 20),
    ]


# --- errors ---------------------------------------------------------------------------------

ERROR_ROWS = [
    ("not valid", "DateTime", "'not' at position 1", "now, today, tomorrow, yesterday"),
    ("now today not valid", "DateTime", "'today' at position 5", "+, - or @"),
    ("today 2 week", "DateTime", "'2' at position 7", "+, - or @"),
    ("today 2 week @ noon", "DateTime", "'2' at position 7", "expected + or -"),
    ("+ x days", "DateTime", "'x' at position 3", "a number"),
    ("+ 1", "DateTime", "the expression ends", "a unit (millisecond(s)"),
    ("+ 1 @ noon", "DateTime", "ends at the '@' at position 5", "a unit"),
    ("+ 2 parsecs", "DateTime", "'parsecs' at position 5", "day(s), week(s)"),
    ("+", "Date", "the expression ends", "a number"),
    ("next", "Date", "the expression ends", "a weekday (monday or mon"),
    ("next foo", "Date", "'foo' at position 6", "a month (january or jan"),
    ("next days", "Date", "'days' at position 6", "day, week, fortnight"),
    ("next monday tomorrow", "Date", "'tomorrow' at position 13", "+, - or @"),
    ("tomorrow", "Time", "'tomorrow' at position 1", "now, midnight, noon, 1-12 o'clock"),
    ("@ soon", "DateTime", "'soon' at position 3", "now, midnight, noon"),
    ("@ next monday", "DateTime", "'monday' at position 8", "hour, minute, second"),
    ("@ 13 o'clock", "DateTime", "'13' at position 3", "an hour from 1 to 12"),
    ("@ 0 o'clock", "DateTime", "'0' at position 3", "an hour from 1 to 12"),
    ("@ 2 oclock", "DateTime", "'oclock' at position 5", "o'clock"),
    ("@ 2", "DateTime", "the expression ends", "o'clock"),
    ("@ 2 o'clock tonight", "DateTime", "'tonight' at position 13", "am, pm, + or -"),
    ("@ 2 o'clock am pm", "DateTime", "'pm' at position 16", "expected + or -"),
    ("@ noon midnight", "DateTime", "'midnight' at position 8", "+ or -"),
    ("today @ noon @ now", "DateTime", "second '@' at position 14", "one '@'"),
    ("today!", "DateTime", "'!' at position 6", "+, - or @"),
    ("tomorrow + 1 dày", "DateTime", "'d' at position 14", "a unit"),
    ("+ 1234567890123456789 days", "DateTime", "at position 3", "at most 18 digits"),
    ("+ 10000 years", "DateTime", "outside the years 1 to 9999", "smaller amounts"),
    ("- 1 day", "DateTime", "outside the years 1 to 9999", "smaller amounts"),
]


@pytest.mark.parametrize(("expression", "kind", "where", "expected"), ERROR_ROWS)
def test_unreadable_expressions_say_which_word_where_and_what_would_do(
    expression: str, kind: ExpressionKind, where: str, expected: str
) -> None:
    base = datetime(1, 1, 1, tzinfo=UTC) if expression == "- 1 day" else Y2K
    with pytest.raises(DateExpressionError) as raised:
        evaluate(expression, base, kind)
    message = str(raised.value)
    assert raised.value.expression == expression
    assert where in message
    assert expected in message


def test_the_generator_layer_reports_expression_problems_as_generation_errors() -> None:
    with pytest.raises(GenerationError, match=r"'soon' at position 3"):
        evaluate_date_expression("@ soon", Y2K)


def test_time_generators_read_time_only_expressions() -> None:
    generator = Generator(kind="Time", params={"expression": "2 o'clock pm", "format": "HH:mm"})
    value = generate(generator, "09:00", context={}, text=False, rng=random.Random(0), now=Y2K)
    assert value == "14:00"


def test_date_generators_format_the_moved_date() -> None:
    generator = Generator(kind="Date", params={"expression": "next feb + 1 month"})
    value = generate(generator, "x", context={}, text=False, rng=random.Random(0), now=Y2K)
    assert value == "2000-03-01"


def test_a_generator_with_an_unreadable_expression_raises_so_the_example_stays() -> None:
    generator = Generator(kind="Date", params={"expression": "last day of june"})
    with pytest.raises(GenerationError, match="'of' at position 10; expected"):
        generate(generator, "x", context={}, text=False, rng=random.Random(0), now=Y2K)


# --- properties -----------------------------------------------------------------------------

_WORDS = [
    "now", "today", "tomorrow", "yesterday", "next", "last", "midnight", "noon", "o'clock",
    "am", "pm", "day", "days", "week", "weeks", "fortnight", "month", "months", "year", "years",
    "hour", "hours", "minute", "minutes", "second", "seconds", "millisecond", "milliseconds",
    "monday", "mon", "tues", "sunday", "june", "jun", "may", "dec", "+", "-", "@", "1", "12",
    "0", "99999", "x", "'", "!", "\u00e9",
]  # fmt: skip

_bases = st.datetimes(
    min_value=datetime(1, 1, 1),
    max_value=datetime(9999, 12, 31, 23, 59, 59),
    timezones=st.just(UTC),
)
_kinds = st.sampled_from(["Date", "Time", "DateTime"])


@given(
    words=st.lists(st.sampled_from(_WORDS), max_size=8),
    glue=st.sampled_from([" ", "", "  \t"]),
    base=_bases,
    kind=_kinds,
)
def test_any_sequence_of_grammar_words_either_evaluates_or_raises_a_generation_error(
    words: list[str], glue: str, base: datetime, kind: ExpressionKind
) -> None:
    try:
        result = evaluate_date_expression(glue.join(words), base, kind=kind)
    except GenerationError as error:
        assert "date/time expression" in str(error)
    else:
        assert result.tzinfo is UTC


_date_bases = st.sampled_from(["", "now", "today", "tomorrow", "yesterday"])
_relatives = st.sampled_from(["next", "last"]).flatmap(
    lambda word: st.sampled_from(
        [
            "day",
            "week",
            "fortnight",
            "month",
            "year",
            "monday",
            "fri",
            "sun",
            "jan",
            "may",
            "june",
            "december",
        ]
    ).map(lambda target: f"{word} {target}")
)
_shifts = st.builds(
    lambda sign, amount, unit: f"{sign} {amount} {unit}",
    st.sampled_from(["+", "-"]),
    st.integers(min_value=0, max_value=60),
    st.sampled_from(["days", "week", "months", "year", "hours", "minute", "seconds"]),
)
_clocks = st.sampled_from(
    ["", "now", "midnight", "noon", "1 o'clock", "12 o'clock am", "7 o'clock pm", "next hour"]
)


@given(
    head=st.one_of(_date_bases, _relatives),
    date_shifts=st.lists(_shifts, max_size=3),
    clock=_clocks,
    time_shifts=st.lists(_shifts, max_size=3),
    base=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
)
def test_well_formed_expressions_always_evaluate_near_the_base(
    head: str, date_shifts: list[str], clock: str, time_shifts: list[str], base: datetime
) -> None:
    expression = " ".join([head, *date_shifts, "@", clock, *time_shifts])
    result = evaluate(expression, base)
    assert abs(result - base) < timedelta(days=366 * (6 * 60 + 2))


@given(base=_bases.filter(lambda moment: 1 < moment.year < 9999), weekday=st.integers(0, 6))
def test_next_weekday_lands_on_that_weekday_within_a_week(base: datetime, weekday: int) -> None:
    name = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][weekday]
    forward = evaluate(f"next {name}", base)
    backward = evaluate(f"last {name}", base)
    assert forward.weekday() == weekday == backward.weekday()
    assert timedelta(days=1) <= forward - base <= timedelta(days=7)
    assert timedelta(days=1) <= base - backward <= timedelta(days=7)
