"""Generators applied before a part is sent (spec §4)."""

import random
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from accord.matching import apply_generators, match_request
from accord.matching.date_formatting import format_java
from accord.matching.generated_values import evaluate_date_expression
from accord.matching.regex_generation import generate_matching


def _request(generators: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "method": "GET",
        "path": "/users/1",
        "headers": {"X-Id": ["a"]},
        "query": {"page": ["1"]},
        "body": {"id": 1, "items": [{"n": "a"}, {"n": "b"}]},
        "generators": generators,
        **extra,
    }


def test_the_input_part_is_never_changed() -> None:
    part = _request({"body": {"$.id": {"type": "RandomInt", "min": 5, "max": 5}}})
    result = apply_generators(part, mode="provider")
    assert result["body"]["id"] == 5
    assert part["body"]["id"] == 1


def test_provider_state_values_fill_paths_and_bodies() -> None:
    part = _request(
        {
            "path": {"type": "ProviderState", "expression": "/users/${id}"},
            "body": {"$.id": {"type": "ProviderState", "expression": "${id}"}},
            "header": {"X-Id": {"type": "ProviderState", "expression": "${id}"}},
        }
    )
    result = apply_generators(part, mode="provider", context={"id": 42})
    assert result["path"] == "/users/42"
    assert result["body"]["id"] == 42  # a lone placeholder keeps the JSON type
    assert result["headers"]["X-Id"] == ["42"]


def test_provider_state_generators_do_not_run_in_consumer_mode() -> None:
    part = _request({"path": {"type": "ProviderState", "expression": "/users/${id}"}})
    assert apply_generators(part, mode="consumer", context={"id": 42})["path"] == "/users/1"


def test_a_missing_provider_state_key_leaves_the_example() -> None:
    part = _request({"body": {"$.id": {"type": "ProviderState", "expression": "${nope}"}}})
    assert apply_generators(part, mode="provider", context={"id": 3})["body"]["id"] == 1


def test_data_type_converts_provider_state_values() -> None:
    part = _request(
        {"body": {"$.id": {"type": "ProviderState", "expression": "${id}", "dataType": "INTEGER"}}}
    )
    assert apply_generators(part, mode="provider", context={"id": "7"})["body"]["id"] == 7


def test_mock_server_url_runs_only_in_consumer_mode() -> None:
    part = {
        "status": 200,
        "body": {"link": "http://localhost:1234/orders/1"},
        "generators": {
            "body": {
                "$.link": {
                    "type": "MockServerURL",
                    "example": "http://localhost:1234/orders/1",
                    "regex": ".*(/orders/\\d+)$",
                }
            }
        },
    }
    context = {"mockServer": {"url": "http://127.0.0.1:5555", "port": 5555}}
    consumer = apply_generators(part, mode="consumer", context=context)
    assert consumer["body"]["link"] == "http://127.0.0.1:5555/orders/1"
    assert apply_generators(part, mode="provider", context=context)["body"]["link"] == (
        "http://localhost:1234/orders/1"
    )


def test_wildcard_body_paths_reach_every_item() -> None:
    part = _request({"body": {"$.items[*].n": {"type": "RandomString", "size": 4}}})
    items = apply_generators(part, mode="provider")["body"]["items"]
    assert all(len(item["n"]) == 4 and item["n"].isalnum() for item in items)


@pytest.mark.parametrize(
    ("generator", "check"),
    [
        ({"type": "RandomInt", "min": 3, "max": 4}, lambda v: v in (3, 4)),
        (
            {"type": "RandomDecimal", "digits": 6},
            lambda v: isinstance(v, float) and len(str(v).replace(".", "")) <= 6,
        ),
        (
            {"type": "RandomHexadecimal", "digits": 8},
            lambda v: re.fullmatch("[0-9A-F]{8}", v) is not None,
        ),
        ({"type": "RandomString", "size": 12}, lambda v: len(v) == 12),
        (
            {"type": "Regex", "regex": "^[a-c]{2}-\\d{3}$"},
            lambda v: re.fullmatch("[a-c]{2}-\\d{3}", v) is not None,
        ),
        ({"type": "Uuid"}, lambda v: str(uuid.UUID(v)) == v),
        ({"type": "Uuid", "format": "simple"}, lambda v: re.fullmatch("[0-9a-f]{32}", v)),
        ({"type": "Uuid", "format": "URN"}, lambda v: v.startswith("urn:uuid:")),
        ({"type": "Date"}, lambda v: re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)),
        ({"type": "Time", "format": "HH:mm"}, lambda v: re.fullmatch(r"\d{2}:\d{2}", v)),
        (
            {"type": "DateTime"},
            lambda v: re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)", v),
        ),
        ({"type": "RandomBoolean"}, lambda v: isinstance(v, bool)),
    ],
    ids=lambda g: g["type"] if isinstance(g, dict) else "",
)
def test_each_generator_produces_a_fitting_value(generator: dict[str, Any], check: Any) -> None:
    part = {"status": 200, "body": {"v": 0}, "generators": {"body": {"$.v": generator}}}
    for seed in range(5):
        value = apply_generators(part, mode="consumer", rng=random.Random(seed))["body"]["v"]
        assert check(value), value


def test_query_and_header_values_are_strings() -> None:
    part = _request(
        {
            "query": {"page": {"type": "RandomInt", "min": 2, "max": 2}},
            "header": {"X-New": {"type": "RandomBoolean"}},
        }
    )
    result = apply_generators(part, mode="provider")
    assert result["query"]["page"] == ["2"]
    assert result["headers"]["X-New"] in ("true", "false")


def test_generated_request_still_matches_its_own_rules() -> None:
    part = _request(
        {"body": {"$.id": {"type": "RandomInt"}}},
        matchingRules={"body": {"$.id": {"matchers": [{"match": "integer"}]}}},
    )
    sent = apply_generators(part, mode="provider")
    assert match_request(part, sent) == []


def test_date_expressions_move_from_now() -> None:
    now = datetime(2024, 1, 31, 15, 30, tzinfo=UTC)
    assert evaluate_date_expression("tomorrow @ midnight", now) == datetime(2024, 2, 1, tzinfo=UTC)
    assert evaluate_date_expression("today - 2 days @ noon", now) == datetime(
        2024, 1, 29, 12, tzinfo=UTC
    )
    assert evaluate_date_expression("+ 1 hour", now).hour == 16


def test_java_patterns_format_dates() -> None:
    moment = datetime(2024, 3, 5, 7, 8, 9, 123000, tzinfo=UTC)
    assert format_java(moment, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX") == "2024-03-05T07:08:09.123Z"
    assert format_java(moment, "EEE, d MMM yy h:mm a") == "Tue, 5 Mar 24 7:08 AM"


def test_regex_generation_honours_alternation_and_groups() -> None:
    # no backreference: pact regexes run on RE2, which refuses them (test_pact_regex.py)
    for seed in range(20):
        value = generate_matching("(red|blue)-(\\d{2})-(?:red|blue)", random.Random(seed))
        assert re.fullmatch("(red|blue)-(\\d{2})-(?:red|blue)", value), value
