"""Equal matchingRules JSON is read once per process (``accord.pact.rules``): the parts that
carry it share one immutable rules value, and a bad rule is still reported where it is."""

import pytest

from accord.errors import PactFormatError
from accord.pact.rules import parse_matching_rules

RULES = {
    "body": {"$.id": {"matchers": [{"match": "integer"}]}},
    "header": {"Content-Type": {"matchers": [{"match": "regex", "regex": "json"}]}},
}


def test_equal_rules_are_read_once_and_shared() -> None:
    first = parse_matching_rules(RULES, spec="V3")
    second = parse_matching_rules({**RULES}, spec="V2")
    assert first is second
    assert first["body"]["$.id"].matchers[0].kind == "integer"
    other = parse_matching_rules(
        {"body": {"$.id": {"matchers": [{"match": "decimal"}]}}}, spec="V3"
    )
    assert other["body"]["$.id"].matchers[0].kind == "decimal"


def test_a_bad_rule_is_still_reported_where_it_is() -> None:
    parse_matching_rules(RULES, spec="V3")
    bad = {"body": {"$.id": {"matchers": "integer"}}}
    with pytest.raises(PactFormatError) as raised:
        parse_matching_rules(bad, spec="V3", source="p.json", path="interactions[3].matchingRules")
    assert "interactions[3].matchingRules" in str(raised.value)
