"""Query strings and headers of every version become ordered lists of values."""

import pytest

from accord.pact.http_parts import header_value, parse_query_string, split_header_value


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("a=1&b=2", {"a": ("1",), "b": ("2",)}),
        ("a=1&a=2", {"a": ("1", "2")}),
        ("q=x+y%20z", {"q": ("x y z",)}),
        ("eq=a%3Db=c", {"eq": ("a=b=c",)}),
        ("a=1&", {"a": ("1",)}),
        ("&&a=1", {"a": ("1",)}),
        ("flag", {"flag": (None,)}),
        ("empty=", {"empty": ("",)}),
        ("", {}),
    ],
)
def test_a_v2_query_string_becomes_a_map_of_value_lists(
    text: str, query: dict[str, tuple[str | None, ...]]
) -> None:
    assert parse_query_string(text) == query


def test_list_headers_are_split_at_commas_with_the_spaces_trimmed() -> None:
    assert split_header_value("Accept", "a/b, c/d ,e/f") == ("a/b", "c/d", "e/f")
    assert split_header_value("cache-control", "no-cache,no-store") == ("no-cache", "no-store")


def test_other_headers_keep_their_commas() -> None:
    assert split_header_value("Date", "Mon, 01 Jan 2024") == ("Mon, 01 Jan 2024",)
    assert split_header_value("Set-Cookie", "a=1, b=2") == ("a=1, b=2",)


def test_header_lookup_ignores_case() -> None:
    headers = {"content-TYPE": ("text/plain",)}
    assert header_value(headers, "Content-Type") == "text/plain"
    assert header_value(headers, "Accept") is None
