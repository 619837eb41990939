"""Reading and writing matching rules and generators (accord.pact.rules)."""

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import PactFormatError
from accord.pact.model import Generator, Matcher, RuleList
from accord.pact.rules import (
    STAR,
    STAR_INDEX,
    generators_to_json,
    matching_rules_to_json,
    parse_generators,
    parse_matching_rules,
    parse_path_expression,
)


def test_v2_rules_are_normalised_into_categories() -> None:
    rules = parse_matching_rules(
        {
            "$.body": {"match": "type"},
            "$.body.items[*].id": {"match": "regex", "regex": "\\d+"},
            "$.headers.Content-Type": {"match": "regex", "regex": "application/.*"},
            "$.query.page": {"match": "type"},
            "$.path": {"match": "regex", "regex": "/x/\\d+"},
        },
        spec="V2",
    )
    assert set(rules) == {"body", "header", "query", "path"}
    assert rules["body"]["$"] == RuleList((Matcher("type"),))
    assert rules["body"]["$.items[*].id"].matchers[0] == Matcher("regex", {"regex": "\\d+"})
    assert "Content-Type" in rules["header"]
    assert "page" in rules["query"]
    assert rules["path"][""].matchers[0].kind == "regex"


def test_v2_bracketed_body_path_keeps_its_spelling() -> None:
    rules = parse_matching_rules({"$.body['2'].str": {"match": "type"}}, spec="V2")
    assert list(rules["body"]) == ["$['2'].str"]


def test_legacy_min_max_objects_fold_into_type_with_sizes() -> None:
    rules = parse_matching_rules({"$.body.animals": {"min": 2}}, spec="V2")
    assert rules["body"]["$.animals"].matchers == (Matcher("type", {"min": 2}),)
    rules = parse_matching_rules(
        {"body": {"$.a": {"matchers": [{"match": "max-type", "max": "3"}]}}}, spec="V3"
    )
    assert rules["body"]["$.a"].matchers == (Matcher("type", {"max": 3}),)


def test_legacy_date_objects_keep_their_pattern_as_format() -> None:
    rules = parse_matching_rules({"$.body.d": {"timestamp": "yyyy-MM-dd"}}, spec="V2")
    assert rules["body"]["$.d"].matchers == (Matcher("timestamp", {"format": "yyyy-MM-dd"}),)


def test_v3_categories_with_combine_are_read() -> None:
    rules = parse_matching_rules(
        {
            "body": {
                "$.a": {"matchers": [{"match": "integer"}, {"match": "null"}], "combine": "or"}
            },
            "headers": {"X": {"matchers": [{"match": "include", "value": "a"}]}},
            "path": {"matchers": [{"match": "regex", "regex": "/\\d+"}]},
            "status": {"matchers": [{"match": "statusCode", "status": "success"}]},
        },
        spec="V4",
    )
    assert rules["body"]["$.a"].combine == "OR"
    assert rules["header"]["X"].matchers[0] == Matcher("include", {"value": "a"})
    assert rules["path"][""].matchers[0].kind == "regex"
    assert rules["status"][""].matchers[0].params == {"status": "success"}


def test_encoding_is_detected_from_keys_not_declared_version() -> None:
    rules = parse_matching_rules({"$.body.a": {"match": "type"}}, spec="V4")
    assert "$.a" in rules["body"]


@pytest.mark.parametrize(
    "raw",
    [
        {"$.body.a": {"match": "type"}, "$.headers.X": {"regex": "a"}, "$.path": {"match": "type"}},
        {
            "body": {
                "$.a": {"matchers": [{"match": "type", "min": 1}], "combine": "AND"},
                "$.b": {"matchers": [{"match": "eachKey", "rules": [{"regex": "[a-z]+"}]}]},
                "$.c": {
                    "matchers": [
                        {
                            "match": "arrayContains",
                            "variants": [
                                {
                                    "index": 0,
                                    "rules": {"$.id": {"matchers": [{"match": "integer"}]}},
                                    "generators": {"$.id": {"type": "RandomInt"}},
                                }
                            ],
                        }
                    ]
                },
            },
            "query": {"q": {"matchers": [{"match": "date", "date": "yyyy"}]}},
            "status": {"matchers": [{"match": "statusCode", "status": [200, 201]}]},
        },
    ],
)
def test_parse_then_write_then_parse_is_identity(raw: dict[str, Any]) -> None:
    first = parse_matching_rules(raw, spec="V3")
    written = matching_rules_to_json(first)
    assert parse_matching_rules(json.loads(json.dumps(written)), spec="V4") == first


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ("nope", "interactions[3].response.matchingRules"),
        (
            {"body": {"$.a": {"matchers": "type"}}},
            "interactions[3].response.matchingRules.body['$.a'].matchers",
        ),
        ({"body": []}, "interactions[3].response.matchingRules.body"),
        (
            {"$.body.a": {"match": "regex"}},
            "interactions[3].response.matchingRules['$.body.a'].regex",
        ),
        ({"body": {"$.a": {"matchers": [{"match": "type", "min": -1}]}}}, "min"),
        ({"body": {"$.a[": {"matchers": []}}}, "body"),
        ({"$.bogus.a": {"match": "type"}}, "bogus"),
        ({"body": {"$.a": {"matchers": [], "combine": "XOR"}}}, "combine"),
    ],
)
def test_malformed_rules_raise_pact_format_error_with_path(raw: object, where: str) -> None:
    with pytest.raises(PactFormatError) as caught:
        parse_matching_rules(
            raw, spec="V3", source="pact.json", path="interactions[3].response.matchingRules"
        )
    assert caught.value.source == "pact.json"
    assert where in caught.value.path


def test_path_expressions_tokenise_names_indices_and_wildcards() -> None:
    assert parse_path_expression("$.a[2].*['x y'][*]") == ("$", "a", 2, STAR, "x y", STAR_INDEX)
    assert parse_path_expression("a.b") == ("$", "a", "b")
    assert parse_path_expression("$['2']") == ("$", "2")
    with pytest.raises(ValueError, match="unclosed"):
        parse_path_expression("$.a[1")


def test_generators_round_trip_and_single_generator_categories() -> None:
    raw = {
        "body": {"$.id": {"type": "RandomInt", "min": 1, "max": 9}},
        "header": {"X-Id": {"type": "Uuid"}},
        "path": {"type": "ProviderState", "expression": "/users/${id}"},
    }
    gens = parse_generators(raw)
    assert gens["path"][""] == Generator("ProviderState", {"expression": "/users/${id}"})
    assert gens["body"]["$.id"].params == {"min": 1, "max": 9}
    assert generators_to_json(gens) == raw
    assert parse_generators(generators_to_json(gens)) == gens


def test_malformed_generators_raise_pact_format_error() -> None:
    with pytest.raises(PactFormatError) as caught:
        parse_generators({"body": {"$.id": {"min": 1}}}, source="p.json", path="x.generators")
    assert caught.value.path == "x.generators.body['$.id'].type"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "$",
                    "$.body.a",
                    "$.a",
                    "body",
                    "header",
                    "path",
                    "matchers",
                    "match",
                    "min",
                    "regex",
                    "combine",
                    "type",
                    "rules",
                    "variants",
                    "x",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_parsing_arbitrary_json_raises_only_pact_format_error(raw: object) -> None:
    for parse in (
        lambda: parse_matching_rules(raw, spec="V3"),
        lambda: parse_generators(raw),
    ):
        try:
            parsed = parse()
        except PactFormatError:
            continue
        assert isinstance(parsed, dict)


def test_v2_body_written_in_brackets_is_translated_too() -> None:
    rules = parse_matching_rules({"$['body'].a[*]": {"match": "type"}}, spec="V2")
    assert list(rules["body"]) == ["$['a'][*]"]
