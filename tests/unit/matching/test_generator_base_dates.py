"""Date/time generators count from ``baseDate``/``baseTime``/``baseDateTime`` (spec §4.5).

The reference (pact-reference ``rust/pact_models/src/generators/mod.rs``) reads one key per
generator kind: ``Date`` reads ``baseDate``, ``Time`` ``baseTime``, ``DateTime``
``baseDateTime``. accord does the same, and also takes a bare ISO date or time and assembles a
base from ``baseDate`` + ``baseTime`` when a generator's own key does not give a whole
date-time (``docs/compatibility.md``).
"""

import random
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import GeneratorBaseError
from accord.matching import apply_generators
from accord.matching.base_moments import parse_base_value
from accord.matching.generated_values import GenerationError, generate
from accord.pact.model import Generator

PLUS_TWO = timezone(timedelta(hours=2))
NOW = datetime(2023, 7, 14, 9, 30, 0, tzinfo=PLUS_TWO)  # a Friday, far from any month end


def _generate(kind: str, context: Mapping[str, Any], **params: str) -> Any:
    generator = Generator(kind=kind, params=params)
    return generate(generator, "x", context=context, text=False, rng=random.Random(0), now=NOW)


# --- each key alone ------------------------------------------------------------------------

ALONE_ROWS = [
    ("Date", {}, {}, "2023-07-14"),
    ("Date", {"baseDate": "2024-02-29"}, {}, "2024-02-29"),
    ("Date", {"baseDate": " 2024-2-9 "}, {}, "2024-02-09"),
    ("Date", {"baseDate": "2024-02-29T23:59:59+14:00"}, {}, "2024-02-29"),
    (
        "Date",
        {"baseDate": "2024-02-29"},
        {"format": "yyyy-MM-dd HH:mm XXX"},
        "2024-02-29 09:30 +02:00",
    ),
    ("Time", {}, {}, "09:30:00"),
    ("Time", {"baseTime": "10:15:30"}, {}, "10:15:30"),
    ("Time", {"baseTime": "10:15"}, {}, "10:15:00"),
    ("Time", {"baseTime": "10:15:30.123456789"}, {"format": "HH:mm:ss.SSS"}, "10:15:30.123"),
    ("Time", {"baseTime": "10:15:30-05:00"}, {"format": "HH:mm XXX"}, "10:15 -05:00"),
    (
        "Time",
        {"baseTime": "2024-02-29T10:15:30Z"},
        {"format": "yyyy-MM-dd HH:mm"},
        "2024-02-29 10:15",
    ),
    ("DateTime", {}, {}, "2023-07-14T09:30:00.000+02:00"),
    ("DateTime", {"baseDateTime": "2024-02-29T10:15:30Z"}, {}, "2024-02-29T10:15:30.000Z"),
    ("DateTime", {"baseDateTime": "2024-02-29T10:15:30"}, {}, "2024-02-29T10:15:30.000+02:00"),
    ("DateTime", {"baseDateTime": "2024-02-29T10:15:30+0530"}, {}, "2024-02-29T10:15:30.000+05:30"),
    ("DateTime", {"baseDateTime": "2024-02-29t10:15:30 UTC"}, {}, "2024-02-29T10:15:30.000Z"),
    (
        "DateTime",
        {"baseDateTime": "2024-02-29 10:15:30,25-03"},
        {},
        "2024-02-29T10:15:30.250-03:00",
    ),
    # the form the reference's own test writes (chrono's Display of a local date-time)
    (
        "DateTime",
        {"baseDateTime": "2024-02-29 10:15:30.5 +10:00"},
        {},
        "2024-02-29T10:15:30.500+10:00",
    ),
]


@pytest.mark.parametrize(("kind", "context", "params", "expected"), ALONE_ROWS)
def test_a_generator_counts_from_its_own_base_key(
    kind: str, context: dict[str, Any], params: dict[str, str], expected: str
) -> None:
    assert _generate(kind, context, **params) == expected


# --- keys together ---------------------------------------------------------------------------

COMBINED_ROWS = [
    # a DateTime generator without baseDateTime assembles its base from baseDate and baseTime
    (
        "DateTime",
        {"baseDate": "2024-02-29", "baseTime": "23:30:00"},
        {},
        "2024-02-29T23:30:00.000+02:00",
    ),
    (
        "DateTime",
        {"baseDate": "2024-02-29", "baseTime": "23:30:00-05:00"},
        {},
        "2024-02-29T23:30:00.000-05:00",
    ),
    ("DateTime", {"baseDate": "2024-02-29"}, {}, "2024-02-29T09:30:00.000+02:00"),
    ("DateTime", {"baseTime": "06:00Z"}, {}, "2023-07-14T06:00:00.000Z"),
    # its own key wins over the others
    (
        "DateTime",
        {"baseDateTime": "2020-01-01T00:00:00Z", "baseDate": "2024-02-29", "baseTime": "23:30"},
        {},
        "2020-01-01T00:00:00.000Z",
    ),
    (
        "Date",
        {"baseDate": "2024-02-29T08:00:00Z", "baseTime": "23:00"},
        {"format": "yyyy-MM-dd HH:mm"},
        "2024-02-29 08:00",
    ),
    (
        "Date",
        {"baseDate": "2024-02-29", "baseTime": "23:00"},
        {"format": "yyyy-MM-dd HH:mm"},
        "2024-02-29 23:00",
    ),
    (
        "Time",
        {"baseTime": "2020-01-01T08:00:00Z", "baseDate": "2024-02-29"},
        {"format": "yyyy-MM-dd HH:mm"},
        "2020-01-01 08:00",
    ),
    (
        "Time",
        {"baseTime": "23:30", "baseDate": "2024-02-29"},
        {"format": "yyyy-MM-dd HH:mm"},
        "2024-02-29 23:30",
    ),
    # Date and Time generators do not read baseDateTime, as in the reference
    ("Date", {"baseDateTime": "2024-02-29T10:00:00Z"}, {}, "2023-07-14"),
    ("Time", {"baseDateTime": "2024-02-29T10:00:00Z"}, {}, "09:30:00"),
    # a part no key gives is now, seen in the offset a key wrote (09:30+02:00 is 07:30Z)
    ("Time", {"baseDate": "2024-02-29T00:00:00Z"}, {}, "07:30:00"),
    # looked up at the top level first, then in a nested providerState object
    ("Date", {"providerState": {"baseDate": "2024-02-29"}}, {}, "2024-02-29"),
    (
        "Date",
        {"baseDate": "2024-01-01", "providerState": {"baseDate": "2024-02-29"}},
        {},
        "2024-01-01",
    ),
    ("Time", {"providerState": "not an object"}, {}, "09:30:00"),
]


@pytest.mark.parametrize(("kind", "context", "params", "expected"), COMBINED_ROWS)
def test_base_keys_combine_and_the_generators_own_key_wins(
    kind: str, context: dict[str, Any], params: dict[str, str], expected: str
) -> None:
    assert _generate(kind, context, **params) == expected


# --- expressions relative to the base --------------------------------------------------------

EXPRESSION_ROWS = [
    ("Date", {"baseDate": "2024-02-28"}, "+ 1 day", "2024-02-29"),
    ("Date", {"baseDate": "2024-02-29"}, "+ 1 day", "2024-03-01"),
    ("Date", {"baseDate": "2023-02-28"}, "+ 1 day", "2023-03-01"),
    ("Date", {"baseDate": "2024-12-31"}, "+ 1 day", "2025-01-01"),
    ("Date", {"baseDate": "2024-03-01"}, "yesterday", "2024-02-29"),
    ("Date", {"baseDate": "2024-02-29"}, "tomorrow", "2024-03-01"),
    ("Date", {"baseDate": "2024-02-29"}, "today", "2024-02-29"),
    ("Date", {"baseDate": "2024-01-31"}, "+ 1 month", "2024-02-29"),
    ("Date", {"baseDate": "2024-02-29"}, "+ 1 year", "2025-02-28"),
    ("Date", {"baseDate": "2024-02-29"}, "next monday", "2024-03-04"),
    ("Date", {"baseDate": "2024-02-29"}, "last month", "2024-01-29"),
    ("Time", {"baseTime": "23:30:00"}, "+ 1 hour", "00:30:00"),
    ("Time", {"baseTime": "00:10:00"}, "- 15 minutes", "23:55:00"),
    ("Time", {"baseTime": "08:00:00"}, "noon", "12:00:00"),
    ("Time", {"baseTime": "08:00:00"}, "2 o'clock pm", "14:00:00"),
    (
        "DateTime",
        {"baseDateTime": "2024-02-29T15:00:00Z"},
        "tomorrow @ midnight",
        "2024-03-01T00:00:00.000Z",
    ),
    (
        "DateTime",
        {"baseDateTime": "2024-02-28T23:00:00+01:00"},
        "+ 1 day",
        "2024-02-29T23:00:00.000+01:00",
    ),
    (
        "DateTime",
        {"baseDate": "2024-02-29", "baseTime": "23:30:00Z"},
        "+ 1 hour",
        "2024-03-01T00:30:00.000Z",
    ),
]


@pytest.mark.parametrize(("kind", "context", "expression", "expected"), EXPRESSION_ROWS)
def test_expressions_move_from_the_base_across_month_ends_and_leap_days(
    kind: str, context: dict[str, Any], expression: str, expected: str
) -> None:
    assert _generate(kind, context, expression=expression) == expected


def test_a_time_generator_crosses_midnight_into_the_base_dates_next_day() -> None:
    context = {"baseDate": "2024-02-29", "baseTime": "23:30"}
    value = _generate("Time", context, expression="+ 1 hour", format="yyyy-MM-dd HH:mm")
    assert value == "2024-03-01 00:30"


# --- values that cannot be a base --------------------------------------------------------------

BAD_ROWS: list[tuple[str, str, object, str]] = [
    ("Date", "baseDate", "2024-02-30", "day is out of range for month"),
    ("Date", "baseDate", "29/02/2024", "it is not a date or a date-time"),
    ("Date", "baseDate", "", "it is not a date or a date-time"),
    ("Date", "baseDate", "10:15:30", "it is not a date or a date-time"),
    ("Date", "baseDate", 20240229, "it is a number, not text"),
    ("Date", "baseDate", None, "it is null, not text"),
    ("Date", "baseDate", {"date": "2024-02-29"}, "it is an object, not text"),
    ("Time", "baseTime", "25:00", "hour must be in 0..23"),
    ("Time", "baseTime", "10:61", "minute must be in 0..59"),
    ("Time", "baseTime", "2024-02-29", "it is not a time or a date-time"),
    ("Time", "baseTime", True, "it is a boolean, not text"),
    ("DateTime", "baseDateTime", "2024-02-29", "it is not a date-time"),
    (
        "DateTime",
        "baseDateTime",
        "2024-02-29T10:00:00+10:75",
        "the offset's minutes must be in 0..59",
    ),
    (
        "DateTime",
        "baseDateTime",
        "2024-02-29T10:00:00+24:00",
        "the offset's hours must be in 0..23",
    ),
    ("DateTime", "baseDateTime", "1709200800", "it is not a date-time"),
]

_EXPECTED_FORMS = {
    "baseDate": "an ISO 8601 date such as 2024-02-29, or a date-time such as",
    "baseTime": "an ISO 8601 time such as 10:15:30 or 10:15:30+01:00, or a date-time",
    "baseDateTime": "an ISO 8601 date-time such as 2024-02-29T10:15:30+01:00",
}


@pytest.mark.parametrize(("kind", "key", "value", "reason"), BAD_ROWS)
def test_an_unreadable_base_names_the_key_the_value_and_the_forms_it_takes(
    kind: str, key: str, value: object, reason: str
) -> None:
    with pytest.raises(GenerationError) as raised:
        _generate(kind, {key: value})
    message = str(raised.value)
    assert f"{key}={value!r}" in message
    assert reason in message
    assert _EXPECTED_FORMS[key] in message
    cause = raised.value.__cause__
    assert isinstance(cause, GeneratorBaseError)
    assert (cause.key, cause.value) == (key, value)
    assert reason in cause.reason


def test_a_bad_base_in_a_nested_provider_state_is_reported_too() -> None:
    with pytest.raises(GenerationError, match=r"baseTime='noonish'"):
        _generate("Time", {"providerState": {"baseTime": "noonish"}})


def test_a_key_the_generator_does_not_read_cannot_break_it() -> None:
    assert _generate("Date", {"baseDateTime": "garbage"}) == "2023-07-14"
    own_wins = {"baseDate": "2024-02-29T08:00:00Z", "baseTime": "garbage"}
    assert _generate("Date", own_wins) == "2024-02-29"


def test_parse_base_value_keeps_the_written_parts_apart() -> None:
    parsed = parse_base_value("baseTime", "10:15:30.5+01:00")
    assert parsed.day is None
    assert parsed.clock == time(10, 15, 30, 500000)
    assert parsed.offset == timezone(timedelta(hours=1))


# --- through apply_generators, as the verifier calls it -------------------------------------

_REQUEST: dict[str, Any] = {
    "method": "GET",
    "path": "/statements",
    "query": {"from": ["2000-01-01"]},
    "body": {"due": "2000-01-01"},
    "generators": {
        "query": {"from": {"type": "Date", "expression": "- 1 month"}},
        "body": {"$.due": {"type": "Date", "expression": "+ 1 day"}},
    },
}


def test_a_state_change_response_pins_the_dates_of_a_replayed_request() -> None:
    state_values = {"baseDate": "2024-02-29"}  # as a state-change call answers it
    generated = apply_generators(_REQUEST, mode="provider", context=state_values)
    assert generated["query"] == {"from": ["2024-01-29"]}
    assert generated["body"] == {"due": "2024-03-01"}


def test_an_unreadable_state_base_keeps_the_pacts_example_values() -> None:
    generated = apply_generators(_REQUEST, mode="provider", context={"baseDate": "soon"})
    assert generated["query"] == {"from": ["2000-01-01"]}
    assert generated["body"] == {"due": "2000-01-01"}


# --- properties -----------------------------------------------------------------------------

_offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 30))


@given(day=_days)
def test_today_formats_to_any_base_date(day: date) -> None:
    assert _generate("Date", {"baseDate": day.isoformat()}, expression="today") == day.isoformat()


@given(day=_days)
def test_plus_one_day_is_the_next_calendar_day_of_any_base_date(day: date) -> None:
    following = (day + timedelta(days=1)).isoformat()
    assert _generate("Date", {"baseDate": day.isoformat()}, expression="+ 1 day") == following


@given(
    moment=st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)),
    zone=_offsets,
)
def test_a_base_date_time_comes_back_as_the_same_instant_and_offset(
    moment: datetime, zone: timezone
) -> None:
    base = moment.replace(tzinfo=zone)
    value = _generate(
        "DateTime", {"baseDateTime": base.isoformat()}, format="yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"
    )
    parsed = datetime.fromisoformat(value)
    assert parsed == base
    assert parsed.utcoffset() == base.utcoffset()


@given(day=_days, clock=st.times(), zone=_offsets)
def test_base_date_and_base_time_assemble_one_moment(
    day: date, clock: time, zone: timezone
) -> None:
    context = {"baseDate": day.isoformat(), "baseTime": clock.replace(tzinfo=zone).isoformat()}
    value = _generate("DateTime", context, format="yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
    assert datetime.fromisoformat(value) == datetime.combine(day, clock, zone)
