"""Properties that hold for any JSON: a body always matches itself, and matching never crashes."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import PactFormatError
from accord.matching import Mismatch, match_request, match_response

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_every_json_body_matches_itself_in_a_request(body: Any) -> None:
    part = {"method": "POST", "path": "/", "body": body}
    assert match_request(part, dict(part)) == []


@settings(max_examples=200, deadline=None)
@given(json_values, json_values, json_values)
def test_matching_arbitrary_parts_returns_mismatches_or_a_format_error(
    expected_body: Any, actual_body: Any, rules: Any
) -> None:
    expected = {"status": 200, "body": expected_body, "matchingRules": rules}
    try:
        found = match_response(expected, {"status": 200, "body": actual_body})
    except PactFormatError:
        return
    assert all(isinstance(m, Mismatch) and m.message for m in found)
