"""Method, path, query, headers, status and metadata (spec §3.1-3.5)."""

import pytest

from accord.matching import match_message, match_request, match_response


def _request(**parts: object) -> dict[str, object]:
    return {"method": "GET", "path": "/a", **parts}


def test_method_is_case_insensitive_and_path_is_exact() -> None:
    assert match_request(_request(), {"method": "get", "path": "/a"}) == []
    [mismatch] = match_request(_request(), {"method": "GET", "path": "/a/"})
    assert (mismatch.kind, mismatch.path) == ("path", "$.path")


def test_path_rule_replaces_equality() -> None:
    expected = _request(
        matchingRules={"path": {"matchers": [{"match": "regex", "regex": "/a/\\d+"}]}}
    )
    assert match_request(expected, {"method": "GET", "path": "/a/12"}) == []
    assert match_request(expected, {"method": "GET", "path": "/a/b"}) != []


def test_query_maps_need_the_same_names_and_ordered_values() -> None:
    expected = _request(query={"a": ["1", "2"], "b": ["x"]})
    assert match_request(expected, _request(query={"b": ["x"], "a": ["1", "2"]})) == []
    assert match_request(expected, _request(query={"b": ["x"], "a": ["2", "1"]})) != []
    [missing] = match_request(expected, _request(query={"a": ["1", "2"]}))
    assert (missing.kind, missing.path) == ("query", "$.query.b")
    [extra] = match_request(expected, _request(query={"a": ["1", "2"], "b": ["x"], "c": ["1"]}))
    assert extra.path == "$.query.c"


def test_v2_query_strings_are_decoded_and_compared_as_maps() -> None:
    expected = _request(query="a=1&b=x%20y")
    assert match_request(expected, _request(query="b=x+y&a=1&"), spec="V2") == []
    assert match_request(expected, _request(query="a=1"), spec="V2") != []


def test_v1_query_strings_are_order_sensitive() -> None:
    expected = _request(query="a=1&b=2")
    assert match_request(expected, _request(query="a=1&b=2"), spec="V1") == []
    assert match_request(expected, _request(query="b=2&a=1"), spec="V1") != []


def test_query_rule_applies_to_every_value() -> None:
    expected = _request(
        query={"id": ["1"]}, matchingRules={"query": {"id": {"matchers": [{"match": "integer"}]}}}
    )
    assert match_request(expected, _request(query={"id": ["5", "7"]})) == []
    assert match_request(expected, _request(query={"id": ["5", "x"]})) != []


def test_header_names_are_case_insensitive_values_are_not() -> None:
    expected = {"status": 200, "headers": {"X-Thing": "Abc"}}
    assert match_response(expected, {"status": 200, "headers": {"x-thing": "Abc", "Y": "1"}}) == []
    [mismatch] = match_response(expected, {"status": 200, "headers": {"X-Thing": "abc"}})
    assert (mismatch.kind, mismatch.path) == ("header", "$.headers.X-Thing")


def test_missing_header_is_reported() -> None:
    [mismatch] = match_response({"headers": {"X": "1"}}, {"headers": {}})
    assert mismatch.message == "Expected header 'X' but it was missing"


def test_content_type_parameters_are_compared_loosely() -> None:
    expected = {"headers": {"Content-Type": "application/json; charset=UTF-8"}}
    ok = {"headers": {"Content-Type": "application/json;charset=utf-8; v=1"}}
    assert match_response(expected, ok) == []
    bad = {"headers": {"Content-Type": "application/json; charset=UTF-16"}}
    assert match_response(expected, bad) != []


def test_comma_separated_values_keep_order_and_ignore_spaces() -> None:
    expected = {"headers": {"Accept": "a/b, c/d", "X-List": "1,2"}}
    assert match_response(expected, {"headers": {"Accept": "a/b,c/d", "X-List": "1, 2"}}) == []
    assert match_response(expected, {"headers": {"Accept": "c/d, a/b", "X-List": "1,2"}}) != []


def test_v4_header_lists_compare_with_strings() -> None:
    expected = {"headers": {"X": ["1"]}}
    assert match_response(expected, {"headers": {"x": "1"}}) == []


def test_header_rule_applies_to_each_value() -> None:
    expected = {
        "headers": {"X-Id": "1"},
        "matchingRules": {"header": {"x-id": {"matchers": [{"match": "regex", "regex": "\\d+"}]}}},
    }
    assert match_response(expected, {"headers": {"X-ID": "42"}}) == []
    assert match_response(expected, {"headers": {"X-ID": "4a"}}) != []


def test_status_is_compared_exactly() -> None:
    [mismatch] = match_response({"status": 200}, {"status": 201})
    assert mismatch.message == "Expected status 200 but got 201"


def test_message_metadata_checks_expected_keys_only() -> None:
    expected = {"contents": {"a": 1}, "metadata": {"contentType": "application/json", "k": "v"}}
    actual = {
        "contents": {"a": 1},
        "metadata": {"contentType": "application/json", "k": "v", "extra": 1},
    }
    assert match_message(expected, actual, spec="V3") == []
    [mismatch] = match_message(
        expected, {"contents": {"a": 1}, "metadata": {"contentType": "application/json"}}
    )
    assert (mismatch.kind, mismatch.path) == ("metadata", "$.metadata.k")


def test_metadata_rules_replace_equality() -> None:
    expected = {
        "contents": {},
        "metadata": {"id": "1"},
        "matchingRules": {"metadata": {"id": {"matchers": [{"match": "regex", "regex": "\\d+"}]}}},
    }
    assert match_message(expected, {"contents": {}, "metadata": {"id": "99"}}) == []
    assert match_message(expected, {"contents": {}, "metadata": {"id": "x"}}) != []


@pytest.mark.parametrize("spec", ["V1", "V1.1", "1.1.0", "v3", "3.0.0", "V4", "4.0"])
def test_spec_versions_are_read_leniently(spec: str) -> None:
    assert match_response({"status": 200}, {"status": 200}, spec=spec) == []


def test_unknown_spec_version_is_refused_with_the_accepted_forms() -> None:
    with pytest.raises(ValueError, match=r"V1, V1\.1, V2, V3 or V4"):
        match_response({}, {}, spec="V9")
