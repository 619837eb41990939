"""Which rule governs a value: weights, ties, wildcards and cascading (spec §2.3-2.4)."""

from accord.matching import match_request, match_response
from accord.matching.selection import RuleIndex
from accord.pact.model import Matcher, RuleList


def _index(*paths: str) -> RuleIndex:
    return RuleIndex({p: RuleList((Matcher("regex", {"regex": p}),)) for p in paths})


def _chosen(index: RuleIndex, path: tuple[str | int, ...]) -> str | None:
    rules = index.select(path)
    return None if rules is None else str(rules.checks[0].params["regex"])


def test_the_most_specific_path_wins() -> None:
    index = _index("$.item1.level[1].id", "$.item1.level[*].id", "$.*.level[*].id")
    assert _chosen(index, ("$", "item1", "level", 1, "id")) == "$.item1.level[1].id"
    assert _chosen(index, ("$", "item1", "level", 2, "id")) == "$.item1.level[*].id"
    assert _chosen(index, ("$", "item2", "level", 2, "id")) == "$.*.level[*].id"


def test_ties_go_to_the_expression_with_more_tokens() -> None:
    index = _index("$.myDates", "$.myDates[*]")
    assert _chosen(index, ("$", "myDates", 0)) == "$.myDates[*]"


def test_star_index_matches_only_indices_and_star_matches_keys() -> None:
    index = _index("$.a[*]")
    assert _chosen(index, ("$", "a", 0)) == "$.a[*]"
    assert _chosen(index, ("$", "a", "b")) is None
    assert _chosen(_index("$.a.*"), ("$", "a", "b")) == "$.a.*"


def test_an_index_token_does_not_match_a_key_made_of_digits() -> None:
    index = _index("$[2]")
    assert _chosen(index, ("$", 2)) == "$[2]"
    assert _chosen(index, ("$", "2")) is None
    assert _chosen(_index("$['2']"), ("$", "2")) == "$['2']"


def test_a_rule_on_a_container_cascades_but_loses_its_size_limits() -> None:
    index = RuleIndex({"$.a": RuleList((Matcher("type", {"min": 2}),))})
    own = index.select(("$", "a"))
    below = index.select(("$", "a", 0, "b"))
    assert own is not None and own.checks[0].min == 2 and not own.cascaded
    assert below is not None and below.checks[0].min is None and below.cascaded


def test_a_rule_deeper_than_the_value_does_not_apply() -> None:
    assert _index("$.a.b").select(("$", "a")) is None


def test_type_rule_on_array_uses_the_first_item_as_template() -> None:
    expected = {
        "body": {"xs": [{"id": 1}]},
        "matchingRules": {"body": {"$.xs": {"matchers": [{"match": "type"}]}}},
    }
    assert match_response(expected, {"body": {"xs": [{"id": 2}, {"id": 3}]}}) == []
    [mismatch] = match_response(expected, {"body": {"xs": [{"id": 2}, {"id": "3"}]}})
    assert mismatch.path == "$.body.xs[1].id"


def test_rule_only_on_items_keeps_the_length_check() -> None:
    expected = {
        "body": {"xs": [1]},
        "matchingRules": {"body": {"$.xs[*]": {"matchers": [{"match": "type"}]}}},
    }
    assert match_response(expected, {"body": {"xs": [5]}}) == []
    assert match_response(expected, {"body": {"xs": [5, 6]}}) != []


def test_equality_switches_a_subtree_back_to_exact_matching() -> None:
    expected = {
        "body": {"a": {"b": "x", "c": "y"}},
        "matchingRules": {
            "body": {
                "$": {"matchers": [{"match": "type"}]},
                "$.a.c": {"matchers": [{"match": "equality"}]},
            }
        },
    }
    assert match_response(expected, {"body": {"a": {"b": "other", "c": "y"}}}) == []
    [mismatch] = match_response(expected, {"body": {"a": {"b": "other", "c": "z"}}})
    assert mismatch.path == "$.body.a.c"


def test_v2_rules_apply_through_the_public_api() -> None:
    expected = {
        "method": "GET",
        "path": "/",
        "body": {"id": "1"},
        "matchingRules": {"$.body.id": {"match": "regex", "regex": "\\d+"}},
    }
    assert (
        match_request(expected, {"method": "GET", "path": "/", "body": {"id": "77"}}, spec="V2")
        == []
    )
    assert (
        match_request(expected, {"method": "GET", "path": "/", "body": {"id": "x"}}, spec="2.0.0")
        != []
    )


def test_rules_edited_in_place_are_read_afresh() -> None:
    rules = {"body": {"$.id": {"matchers": [{"match": "integer"}]}}}
    expected = {"body": {"id": 1}, "matchingRules": rules}
    assert match_response(expected, {"body": {"id": 2}}) == []
    rules["body"]["$.id"]["matchers"] = [{"match": "equality"}]
    assert match_response(expected, {"body": {"id": 2}}) != []
