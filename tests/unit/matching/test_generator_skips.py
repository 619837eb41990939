"""A generator that cannot produce a value keeps the example, and ``on_skip`` hears why."""

from typing import Any

from accord.matching import apply_generators


def _request(generators: dict[str, Any]) -> dict[str, Any]:
    return {
        "method": "GET",
        "path": "/users/1",
        "headers": {"X-Token": ["abc"]},
        "query": {"id": ["1"]},
        "body": {"id": 1, "items": [{"n": "a"}, {"n": "b"}]},
        "generators": generators,
    }


def _skips(part: dict[str, Any], **options: Any) -> tuple[dict[str, Any], list[str]]:
    heard: list[str] = []
    options.setdefault("mode", "provider")
    return apply_generators(part, on_skip=heard.append, **options), heard


def test_a_missing_provider_state_value_is_reported_with_where_what_and_why() -> None:
    part = _request({"body": {"$.id": {"type": "ProviderState", "expression": "${accountId}"}}})
    generated, heard = _skips(part, context={"id": 3})
    assert generated["body"]["id"] == 1
    assert heard == [
        "body $.id: the ProviderState generator could not produce a value "
        "(no provider-state value named 'accountId'), so the example value was kept"
    ]


def test_each_category_is_named_as_the_pact_names_it() -> None:
    missing = {"type": "ProviderState", "expression": "${nope}"}
    part = _request(
        {
            "path": {"type": "ProviderState", "expression": "/users/${nope}"},
            "query": {"id": missing},
            "header": {"X-Token": missing},
        }
    )
    generated, heard = _skips(part)
    assert [sentence.split(":")[0] for sentence in heard] == ["path", "query id", "header X-Token"]
    assert (generated["path"], generated["query"], generated["headers"]) == (
        "/users/1",
        {"id": ["1"]},
        {"X-Token": ["abc"]},
    )


def test_a_generator_over_many_elements_is_reported_once() -> None:
    part = _request({"body": {"$.items[*].n": {"type": "ProviderState", "expression": "${n}"}}})
    generated, heard = _skips(part)
    assert generated["body"]["items"] == [{"n": "a"}, {"n": "b"}]
    assert len(heard) == 1
    assert heard[0].startswith("body $.items[*].n: the ProviderState generator")


def test_an_unreadable_base_date_and_a_bad_regex_are_reported_with_their_reasons() -> None:
    part = _request(
        {
            "query": {"id": {"type": "Date", "expression": "+ 1 day"}},
            "header": {"X-Token": {"type": "Regex", "regex": "a(b"}},
        }
    )
    generated, heard = _skips(part, context={"baseDate": "soon"})
    assert generated["query"] == {"id": ["1"]}
    assert generated["headers"] == {"X-Token": ["abc"]}
    date, regex = heard
    assert date.startswith("query id: the Date generator could not produce a value (")
    assert "soon" in date
    assert regex.startswith("header X-Token: the Regex generator could not produce a value (")
    assert "invalid regex" in regex
    assert all(sentence.endswith("so the example value was kept") for sentence in heard)


def test_generators_of_the_other_mode_are_skipped_silently() -> None:
    provider_part = _request(
        {"body": {"$.id": {"type": "MockServerURL", "regex": ".*(/x)", "example": "http://a/x"}}}
    )
    consumer_part = _request({"path": {"type": "ProviderState", "expression": "/u/${id}"}})
    assert _skips(provider_part)[1] == []
    assert _skips(consumer_part, mode="consumer", context={"id": 2})[1] == []


def test_generators_that_work_are_not_reported_and_results_match_the_default() -> None:
    part = _request({"body": {"$.id": {"type": "ProviderState", "expression": "${id}"}}})
    generated, heard = _skips(part, context={"id": 9})
    assert heard == []
    assert generated == apply_generators(part, mode="provider", context={"id": 9})
    assert generated["body"]["id"] == 9
