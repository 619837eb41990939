"""Rule forms real Pact clients write (issue #16 §2), each judged three ways: a correct
provider passes, a broken one fails, and a benign variation (extra fields, another prefix,
another allowed spelling) still passes."""

from typing import Any

import pytest

from accord.matching import Mismatch, match_request, match_response
from accord.matching.datetimes import compile_date_pattern
from accord.pact.rules import parse_matching_rules

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


def _xml_response(body: str, rules: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "status": 200,
        "headers": {"Content-Type": "application/xml"},
        "body": XML_HEAD + body,
    }
    if rules is not None:
        response["matchingRules"] = {"body": rules}
    return response


def _one(kind: str, **params: Any) -> dict[str, Any]:
    return {"matchers": [{"match": kind, **params}], "combine": "AND"}


def _xml_verdict(rules: dict[str, Any], expected: str, actual: str) -> list[Mismatch]:
    return match_response(_xml_response(expected, rules), _xml_response(actual), spec="V3")


# ---------------------------------------------------------------------------------------------
# (a) XML bodies
# ---------------------------------------------------------------------------------------------

XML_CASES = {
    "text node": (
        {"$.user.id.#text": _one("integer")},
        "<user><id>1</id></user>",
        "<user><id>42</id><nickname>extra</nickname></user>",
        "<user><id>forty-two</id></user>",
    ),
    "attribute in brackets": (
        {"$.user['@type']": _one("regex", regex="admin|member")},
        '<user type="admin"/>',
        '<user type="member" since="2020"/>',
        '<user type="root"/>',
    ),
    "attribute after a dot": (
        {"$.user.@type": _one("regex", regex="admin|member")},
        '<user type="admin"/>',
        '<user type="member" since="2020"/>',
        '<user type="root"/>',
    ),
    "repeated element with min": (
        {
            "$.users.user": _one("type", min=2),
            "$.users.user['@id']": _one("integer"),
            "$.users.user.name.#text": _one("type"),
        },
        '<users><user id="1"><name>Ann</name></user><user id="2"><name>Bob</name></user></users>',
        '<users><user id="7"><name>Cy</name></user><user id="8"><name>Di</name></user>'
        '<user id="9"><name>Ed</name></user><total>3</total></users>',
        '<users><user id="7"><name>Cy</name></user></users>',
    ),
    "repeated element with max": (
        {"$.users.user": _one("type", max=2)},
        "<users><user>a</user></users>",
        "<users><user>b</user><user>c</user></users>",
        "<users><user>b</user><user>c</user><user>d</user></users>",
    ),
    "namespaced elements and attributes": (
        {
            "$.ns:users.ns:user.ns:id.#text": _one("integer"),
            "$.ns:users.ns:user['@ns:kind']": _one("regex", regex="[a-z]+"),
        },
        '<ns:users xmlns:ns="urn:users"><ns:user ns:kind="a"><ns:id>1</ns:id></ns:user></ns:users>',
        '<u:users xmlns:u="urn:users"><u:user u:kind="b" u:extra="c"><u:id>7</u:id>'
        "<u:more/></u:user></u:users>",
        '<ns:users xmlns:ns="urn:users"><ns:user ns:kind="a"><ns:id>x</ns:id></ns:user></ns:users>',
    ),
    "default namespace": (
        {"$.users.user.id.#text": _one("integer")},
        '<users xmlns="urn:users"><user><id>1</id></user></users>',
        '<users xmlns="urn:users"><user><id>7</id></user></users>',
        '<users xmlns="urn:users"><user><id>seven</id></user></users>',
    ),
}


@pytest.mark.parametrize("case", list(XML_CASES))
def test_xml_rule_forms_pass_a_correct_body(case: str) -> None:
    rules, expected, correct, _ = XML_CASES[case]
    assert _xml_verdict(rules, expected, expected) == []
    assert _xml_verdict(rules, expected, correct) == []


@pytest.mark.parametrize("case", list(XML_CASES))
def test_xml_rule_forms_fail_a_broken_body(case: str) -> None:
    rules, expected, _, broken = XML_CASES[case]
    assert _xml_verdict(rules, expected, broken) != []


def test_fewer_repeated_elements_than_min_names_the_counts() -> None:
    rules, expected, _, broken = XML_CASES["repeated element with min"]
    [mismatch] = _xml_verdict(rules, expected, broken)
    assert mismatch.path == "$.body.users.user"
    assert (mismatch.expected, mismatch.actual) == (2, 1)
    assert "at least 2 <user>" in mismatch.message


def test_a_repeated_element_under_a_rule_that_is_absent_fails() -> None:
    rules = {"$.users.user": _one("type")}
    mismatches = _xml_verdict(rules, "<users><user>a</user></users>", "<users/>")
    assert [m.path for m in mismatches] == ["$.body.users.user"]


def test_a_repeated_element_may_be_absent_when_min_is_zero() -> None:
    rules = {"$.users.user": _one("type", min=0)}
    assert _xml_verdict(rules, "<users><user>a</user></users>", "<users/>") == []


def test_min_on_the_root_still_counts_its_children() -> None:
    rules = {"$.animals": _one("type", min=2)}
    expected = '<animals><alligator name="Mary"/></animals>'
    assert _xml_verdict(rules, expected, expected) != []


def test_an_element_from_another_namespace_is_not_the_expected_one() -> None:
    rules = {"$.ns:user.ns:id.#text": _one("integer")}
    expected = '<ns:user xmlns:ns="urn:a"><ns:id>1</ns:id></ns:user>'
    actual = '<ns:user xmlns:ns="urn:b"><ns:id>1</ns:id></ns:user>'
    assert _xml_verdict(rules, expected, actual) != []


# ---------------------------------------------------------------------------------------------
# (b) Java date/time patterns
# ---------------------------------------------------------------------------------------------

DATE_CASES = [
    # pattern, accepted, refused
    (
        "yyyy-MM-dd'T'HH:mm:ssZ",
        ["2024-01-02T03:04:05+0000", "2024-01-02T03:04:05-0530"],
        ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05+00:00", "2024-01-02T03:04:05+00"],
    ),
    (
        "yyyy-MM-dd'T'HH:mm:ssX",
        ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05+05", "2024-01-02T03:04:05+0530"],
        ["2024-01-02T03:04:05+05:30"],
    ),
    (
        "yyyy-MM-dd'T'HH:mm:ssXX",
        ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05+0530"],
        ["2024-01-02T03:04:05+05", "2024-01-02T03:04:05+05:30"],
    ),
    (
        "yyyy-MM-dd'T'HH:mm:ssXXX",
        ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05+05:30"],
        ["2024-01-02T03:04:05+0530", "2024-01-02T03:04:05+19:00"],
    ),
    (
        "yyyy-MM-dd'T'HH:mm:ssx",
        ["2024-01-02T03:04:05+00", "2024-01-02T03:04:05+0530"],
        ["2024-01-02T03:04:05Z"],
    ),
    ("yyyy-MM-dd'T'HH:mm:ssxxx", ["2024-01-02T03:04:05+00:00"], ["2024-01-02T03:04:05Z"]),
    ("HH:mm ZZZZ", ["10:00 GMT", "10:00 GMT+08:00"], ["10:00 +08:00", "10:00 GMT+8"]),
    ("HH:mm ZZZZZ", ["10:00 Z", "10:00 +08:00"], ["10:00 +0800"]),
    ("HH:mm O", ["10:00 GMT", "10:00 GMT+8", "10:00 GMT+08:30"], ["10:00 +08:00", "10:00 Z"]),
    ("HH:mm OOOO", ["10:00 GMT", "10:00 GMT+08:00"], ["10:00 GMT+8"]),
    (
        "HH:mm:ss z",
        ["10:00:00 UTC", "10:00:00 PST", "10:00:00 Europe/London", "10:00:00 +01:00"],
        ["10:00:00 utc", "10:00:00 +0100", "10:00:00 nowhere"],
    ),
    (
        "yyyy-MM-dd'T'HH:mm:ss.SSSX",
        ["2019-11-25T11:12:13.123Z"],
        ["2019-11-25T11:12:13.12Z", "2019-11-25T11:12:13.1234Z"],
    ),
    ("HH:mm:ss.SSSSSS", ["11:12:13.123456"], ["11:12:13.123"]),
    ("h 'o''clock' a", ["3 o'clock PM", "12 o'clock AM"], ["3 oclock PM", "13 o'clock PM"]),
    ("hh:mm a", ["03:15 PM", "12:00 AM"], ["3:15 PM", "03:15 pm", "13:15 PM", "00:15 AM"]),
    ("KK:mm a", ["00:15 AM", "11:59 PM"], ["12:00 PM"]),
    (
        "EEE, dd MMM yyyy HH:mm:ss zzz",
        ["Sun, 12 Mar 2023 01:21:35 GMT"],
        ["Sun, 12 Mar 2023 01:21:35 +0000"],
    ),
    ("''yyyy''", ["'2024'"], ["2024"]),
]


@pytest.mark.parametrize(
    ("pattern", "accepted", "refused"), DATE_CASES, ids=[case[0] for case in DATE_CASES]
)
def test_java_patterns_accept_what_java_accepts(
    pattern: str, accepted: list[str], refused: list[str]
) -> None:
    compiled = compile_date_pattern(pattern)
    assert [value for value in accepted if not compiled.accepts(value)] == []
    assert [value for value in refused if compiled.accepts(value)] == []


def test_a_timestamp_rule_with_numeric_offsets_judges_a_response() -> None:
    expected = {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": {"at": "2024-01-02T03:04:05+0000"},
        "matchingRules": {"body": {"$.at": _one("timestamp", format="yyyy-MM-dd'T'HH:mm:ssZ")}},
    }

    def verdict(at: str) -> list[Mismatch]:
        return match_response(expected, {**expected, "body": {"at": at, "more": 1}})

    assert verdict("2030-12-31T23:59:59-0800") == []
    [mismatch] = verdict("2030-12-31T23:59:59Z")
    assert mismatch.path == "$.body.at"


# ---------------------------------------------------------------------------------------------
# (c) eachKey / eachValue with nested rules
# ---------------------------------------------------------------------------------------------


def _json_response(body: Any, rules: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": body,
    }
    if rules is not None:
        response["matchingRules"] = {"body": rules}
    return response


EACH_KEY_V4 = {
    "$.accounts": {
        "combine": "AND",
        "matchers": [
            {
                "match": "eachKey",
                "rules": [{"match": "regex", "regex": "^acc-[0-9]+$"}],
                "value": "acc-1",
            }
        ],
    },
    "$.accounts.*.balance": _one("number"),
}
EACH_VALUE_V4 = {
    "$.accounts": {
        "combine": "AND",
        "matchers": [
            {"match": "eachValue", "rules": [{"match": "type"}], "value": {"balance": 10}}
        ],
    },
}
# pact-jvm's V3 writers put the same matchers under a bare rule object (no "matchers" list)
# and name the kind with "pact:matcher:type" inside "rules".
EACH_KEY_JVM_V3 = {
    "$.accounts": {
        "match": "eachKey",
        "rules": [{"pact:matcher:type": "regex", "regex": "^acc-[0-9]+$"}],
        "value": {"acc-1": {"balance": 10}},
    },
}

EACH_CASES = {
    "eachKey (V4) with a value": (
        EACH_KEY_V4,
        {"accounts": {"acc-1": {"balance": 10}}},
        {"accounts": {"acc-7": {"balance": 3.5}, "acc-8": {"balance": 0}}, "total": 2},
        {"accounts": {"savings": {"balance": 3}}},
    ),
    "eachValue (V4) with type": (
        EACH_VALUE_V4,
        {"accounts": {"acc-1": {"balance": 10}}},
        {"accounts": {"x": {"balance": 99, "currency": "EUR"}, "y": {"balance": 0}}},
        {"accounts": {"x": {"balance": "ten"}}},
    ),
    "eachKey (pact-jvm V3 form)": (
        EACH_KEY_JVM_V3,
        {"accounts": {"acc-1": {"balance": 10}}},
        {"accounts": {"acc-1": {"balance": 10}, "acc-22": {"balance": 7}}},
        {"accounts": {"ACC_1": {"balance": 10}}},
    ),
}


@pytest.mark.parametrize("case", list(EACH_CASES))
def test_each_key_and_each_value_pass_a_correct_body(case: str) -> None:
    rules, expected, correct, _ = EACH_CASES[case]
    assert match_response(_json_response(expected, rules), _json_response(expected)) == []
    assert match_response(_json_response(expected, rules), _json_response(correct)) == []


@pytest.mark.parametrize("case", list(EACH_CASES))
def test_each_key_and_each_value_fail_a_broken_body(case: str) -> None:
    rules, expected, _, broken = EACH_CASES[case]
    assert match_response(_json_response(expected, rules), _json_response(broken)) != []


def test_each_key_still_compares_the_values_of_keys_both_sides_have() -> None:
    rules, expected, _, _ = EACH_CASES["eachKey (pact-jvm V3 form)"]
    actual = {"accounts": {"acc-1": {"balance": 11}}}
    [mismatch] = match_response(_json_response(expected, rules), _json_response(actual))
    assert mismatch.path == "$.body.accounts.acc-1.balance"


def test_each_value_rules_yield_to_a_more_specific_rule() -> None:
    rules = {**EACH_VALUE_V4, "$.accounts.*.balance": _one("integer")}
    expected = {"accounts": {"a": {"balance": 1}}}
    broken = {"accounts": {"b": {"balance": 1.5}}}
    [mismatch] = match_response(_json_response(expected, rules), _json_response(broken))
    assert mismatch.path == "$.body.accounts.b.balance"


# ---------------------------------------------------------------------------------------------
# (d) V2 rule paths with quoted names
# ---------------------------------------------------------------------------------------------

V2_RULES = {
    "$.header['se-token']": {"match": "regex", "regex": "^[A-Z0-9]+$"},
    "$.headers.Content-Type": {"match": "regex", "regex": "^application/json.*"},
    "$.query['page size']": {"match": "regex", "regex": "^[0-9]+$"},
    "$.body['odd.key']": {"match": "type"},
}


def test_v2_quoted_paths_read_into_the_right_categories() -> None:
    rules = parse_matching_rules(
        {
            **V2_RULES,
            "$.header['se-api-token'][0]": {"match": "type"},
            "$.query.ids[1]": {"match": "type"},
        },
        spec="V2",
    )
    assert set(rules["header"]) == {"se-token", "Content-Type", "se-api-token"}
    assert set(rules["query"]) == {"page size", "ids"}
    assert set(rules["body"]) == {"$['odd.key']"}


def _v2_request(token: str, page: str, content_type: str, body: Any) -> dict[str, Any]:
    return {
        "method": "POST",
        "path": "/search",
        "query": {"page size": [page]},
        "headers": {"se-token": token, "Content-Type": content_type},
        "body": body,
    }


def test_v2_quoted_paths_judge_a_request() -> None:
    expected = {
        **_v2_request("ABC123", "10", "application/json", {"odd.key": 1}),
        "matchingRules": V2_RULES,
    }

    def verdict(actual: dict[str, Any]) -> set[str]:
        return {m.path for m in match_request(expected, actual, spec="V2")}

    assert verdict(_v2_request("ABC123", "10", "application/json", {"odd.key": 1})) == set()
    benign = _v2_request("Z9", "250", "application/json; charset=utf-8", {"odd.key": 77})
    assert verdict(benign) == set()
    broken = _v2_request("abc-1", "ten", "application/json", {"odd.key": "one"})
    assert verdict(broken) == {
        "$.headers.se-token",
        "$.query.page size",
        "$.body['odd.key']",
    }
