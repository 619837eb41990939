"""Each matcher of the specification, with a value it accepts and one it rejects."""

from typing import Any

import pytest

from accord.matching import Mismatch, match_response


def _rules(*matchers: dict[str, Any], combine: str = "AND") -> dict[str, Any]:
    return {"body": {"$.v": {"matchers": list(matchers), "combine": combine}}}


def check(
    expected_value: Any, actual_value: Any, *matchers: dict[str, Any], combine: str = "AND"
) -> list[Mismatch]:
    expected = {
        "status": 200,
        "body": {"v": expected_value},
        "matchingRules": _rules(*matchers, combine=combine),
    }
    return match_response(expected, {"status": 200, "body": {"v": actual_value}})


CASES = [
    # (matcher, expected example, accepted actual, rejected actual)
    ({"match": "equality"}, "a", "a", "b"),
    ({"match": "regex", "regex": "\\d+"}, "1", "12345", "12a"),
    ({"match": "regex", "regex": "\\d+"}, 1, 99, 1.5),
    ({"match": "type"}, "a", "zzz", 1),
    ({"match": "type"}, 1, 2.5, "1"),
    ({"match": "type", "min": 2}, [1], [1, 2], [1]),
    ({"match": "type", "max": 2}, [1], [1, 2], [1, 2, 3]),
    ({"match": "include", "value": "ell"}, "hello", "yellow", "help"),
    ({"match": "integer"}, 1, 42, 4.2),
    ({"match": "integer"}, 1, -3, True),
    ({"match": "decimal"}, 1.5, 100.0, 100),
    ({"match": "number"}, 1, 1.25, "1"),
    ({"match": "null"}, None, None, 0),
    ({"match": "boolean"}, True, False, 1),
    ({"match": "date", "format": "yyyy-MM-dd"}, "2020-01-01", "2024-02-29", "2023-02-29"),
    ({"match": "date", "format": "dd/MM/yyyy"}, "01/02/2020", "31/12/1999", "2020-01-01"),
    ({"match": "time", "format": "HH:mm:ss"}, "10:00:00", "23:59:59", "24:00:00"),
    (
        {"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"},
        "2020-01-01T00:00:00.000Z",
        "2024-05-01T13:02:03.123+02:00",
        "2024-05-01 13:02:03",
    ),
    (
        {"match": "datetime", "format": "EEE, dd MMM yyyy HH:mm:ss z"},
        "Mon, 01 Jan 2024 00:00:00 GMT",
        "Tue, 02 Jan 2024 10:11:12 GMT",
        "02 Jan 2024",
    ),
    ({"match": "time"}, "10:00:00", "08:30:00", "8.30"),
    ({"match": "notEmpty"}, "x", "y", ""),
    ({"match": "notEmpty"}, [1], [2], []),
    ({"match": "semver"}, "1.0.0", "2.10.3-rc.1+build.5", "1.2"),
    (
        {"match": "contentType", "value": "image/png"},
        "",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        "aGVsbG8=",
    ),
]


@pytest.mark.parametrize(
    ("matcher", "example", "good", "bad"),
    CASES,
    ids=[f"{c[0]['match']}-{i}" for i, c in enumerate(CASES)],
)
def test_matcher_accepts_and_rejects(
    matcher: dict[str, Any], example: Any, good: Any, bad: Any
) -> None:
    assert check(example, good, matcher) == []
    found = check(example, bad, matcher)
    assert len(found) == 1
    assert found[0].kind == "body"
    assert found[0].path == "$.body.v"
    assert found[0].message.startswith(("Expected", "Cannot"))


def test_regex_message_names_the_field_the_pattern_and_the_value() -> None:
    [mismatch] = check("1", "abc", {"match": "regex", "regex": "\\d+"})
    assert mismatch.message == "Expected 'v' to match regex '\\\\d+' but got 'abc'"
    assert (mismatch.expected, mismatch.actual) == ("1", "abc")


def test_or_combination_passes_when_any_matcher_passes() -> None:
    rules = ({"match": "integer"}, {"match": "null"})
    assert check(1, None, *rules, combine="OR") == []
    assert check(1, 7, *rules, combine="OR") == []
    assert len(check(1, "x", *rules, combine="OR")) == 2


def test_and_combination_needs_every_matcher() -> None:
    rules = ({"match": "regex", "regex": "a.*"}, {"match": "include", "value": "z"})
    assert check("az", "abz", *rules) == []
    assert len(check("az", "ab", *rules)) == 1


def test_unknown_matcher_is_reported_not_ignored() -> None:
    [mismatch] = check(1, 1, {"match": "plugin-magic"})
    assert "not supported" in mismatch.message


def test_invalid_regex_is_reported_as_a_mismatch() -> None:
    [mismatch] = check("a", "a", {"match": "regex", "regex": "(unclosed"})
    assert "not valid" in mismatch.message


def test_java_character_classes_are_understood() -> None:
    assert check("a", "Abc", {"match": "regex", "regex": "\\p{Alpha}+"}) == []


def _values_case(actual: Any, *matchers: dict[str, Any]) -> list[Mismatch]:
    expected = {
        "status": 200,
        "body": {"m": {"a": 1}},
        "matchingRules": {
            "body": {
                "$.m": {"matchers": list(matchers)},
                "$.m.*": {"matchers": [{"match": "type"}]},
            }
        },
    }
    return match_response(expected, {"status": 200, "body": {"m": actual}})


def test_values_matcher_ignores_keys_and_checks_every_value() -> None:
    assert _values_case({"x": 5, "y": 6}, {"match": "values"}) == []
    assert len(_values_case({"x": 5, "y": "six"}, {"match": "values"})) == 1


def test_each_key_checks_every_actual_key() -> None:
    rule = {"match": "eachKey", "rules": [{"match": "regex", "regex": "[a-z]+"}]}
    assert _values_case({"abc": 1, "de": 2}, rule) == []
    [mismatch] = _values_case({"abc": 1, "D3": 2}, rule)
    assert mismatch.path == "$.body.m.D3"


def test_each_value_checks_every_actual_value() -> None:
    rule = {"match": "eachValue", "rules": [{"match": "integer"}]}
    assert _values_case({"a": 1, "b": 2}, rule) == []
    assert len(_values_case({"a": 1, "b": 2.5}, rule)) == 1


def test_each_value_on_an_array_frees_the_length() -> None:
    expected = {
        "body": {"xs": [1]},
        "matchingRules": {
            "body": {"$.xs": {"matchers": [{"match": "eachValue", "rules": [{"match": "type"}]}]}}
        },
    }
    assert match_response(expected, {"body": {"xs": [5, 6, 7]}}) == []
    assert len(match_response(expected, {"body": {"xs": [5, "6"]}})) == 1


def test_array_contains_finds_each_variant_anywhere() -> None:
    expected = {
        "body": {"xs": [{"kind": "a", "id": 1}, {"kind": "b", "id": 2}]},
        "matchingRules": {
            "body": {
                "$.xs": {
                    "matchers": [
                        {
                            "match": "arrayContains",
                            "variants": [
                                {
                                    "index": 0,
                                    "rules": {"$.id": {"matchers": [{"match": "integer"}]}},
                                },
                                {
                                    "index": 1,
                                    "rules": {"$.id": {"matchers": [{"match": "integer"}]}},
                                },
                            ],
                        }
                    ]
                }
            }
        },
    }
    actual_ok = {
        "body": {"xs": [{"kind": "z", "id": 0}, {"kind": "b", "id": 9}, {"kind": "a", "id": 7}]}
    }
    assert match_response(expected, actual_ok) == []
    [mismatch] = match_response(expected, {"body": {"xs": [{"kind": "a", "id": 7}]}})
    assert "contain an item" in mismatch.message


def test_status_code_matcher_accepts_a_class() -> None:
    expected = {
        "status": 200,
        "matchingRules": {"status": {"matchers": [{"match": "statusCode", "status": "success"}]}},
    }
    assert match_response(expected, {"status": 204}) == []
    [mismatch] = match_response(expected, {"status": 404})
    assert mismatch.kind == "status"


def test_status_code_matcher_accepts_a_list() -> None:
    expected = {
        "status": 200,
        "matchingRules": {"status": {"matchers": [{"match": "statusCode", "status": [200, 201]}]}},
    }
    assert match_response(expected, {"status": 201}) == []
    assert match_response(expected, {"status": 202}) != []


def test_not_empty_keeps_the_type_of_the_example() -> None:
    [mismatch] = check(["b"], "b", {"match": "notEmpty"})
    assert "same type as" in mismatch.message
    assert (mismatch.expected, mismatch.actual) == (["b"], "b")


def test_array_contains_names_the_variant_it_could_not_find() -> None:
    expected = {
        "body": {"xs": [{"kind": "a"}, {"kind": "b"}]},
        "matchingRules": {
            "body": {
                "$.xs": {
                    "matchers": [
                        {"match": "arrayContains", "variants": [{"index": 0}, {"index": 1}]}
                    ]
                }
            }
        },
    }
    [mismatch] = match_response(expected, {"body": {"xs": [{"kind": "a"}]}})
    assert "variant 1" in mismatch.message
    assert mismatch.expected == {"kind": "b"}
