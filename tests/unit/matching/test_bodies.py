"""Bodies by content type and presence (spec §3.6)."""

import base64

from accord.matching import match_message, match_request, match_response

FORM = "application/x-www-form-urlencoded"


def test_requests_reject_unexpected_keys_responses_allow_them() -> None:
    expected = {"body": {"a": 1}}
    actual = {"body": {"a": 1, "b": None}}
    assert match_response(expected, actual) == []
    [mismatch] = match_request(expected, actual)
    assert "Unexpected key(s) 'b'" in mismatch.message


def test_arrays_without_rules_need_equal_length_and_order() -> None:
    assert match_response({"body": [1, 2]}, {"body": [1, 2]}) == []
    assert match_response({"body": [1, 2]}, {"body": [2, 1]}) != []
    assert match_response({"body": [1, 2]}, {"body": [1, 2, 3]}) != []


def test_json_equality_minds_the_kind() -> None:
    assert match_response({"body": {"a": 1}}, {"body": {"a": 1.0}}) != []
    assert match_response({"body": {"a": True}}, {"body": {"a": 1}}) != []


def test_absent_expected_body_accepts_anything_and_empty_needs_empty() -> None:
    assert match_request({"method": "GET"}, {"method": "GET", "body": {"x": 1}}) == []
    assert match_response({"body": ""}, {}) == []
    assert match_response({"body": None}, {"body": ""}) == []
    [mismatch] = match_response({"body": ""}, {"body": "something"})
    assert mismatch.kind == "body"


def test_missing_body_when_one_is_expected() -> None:
    [mismatch] = match_response({"body": {"a": 1}}, {})
    assert "missing" in mismatch.message


def test_declared_content_types_must_agree() -> None:
    expected = {"headers": {"Content-Type": "application/json"}, "body": {"a": 1}}
    actual = {"headers": {"Content-Type": "application/xml"}, "body": "<a>1</a>"}
    kinds = {m.kind for m in match_response(expected, actual)}
    assert "body-type" in kinds


def test_vendor_json_types_agree_with_application_json() -> None:
    expected = {"body": {"contentType": "application/json", "content": {"a": 1}}}
    actual = {"body": {"contentType": "application/vnd.api+json", "content": {"a": 1}}}
    assert match_response(expected, actual) == []
    wrong = {"body": {"contentType": "text/plain", "content": '{"a": 1}'}}
    assert [m.kind for m in match_response(expected, wrong)] == ["body-type"]


def test_v4_body_objects_are_read() -> None:
    expected = {"body": {"contentType": "application/json", "encoded": False, "content": {"a": 1}}}
    assert (
        match_response(expected, {"body": {"contentType": "application/json", "content": {"a": 1}}})
        == []
    )
    assert match_response(expected, {"body": {"a": 1}}) == []
    assert match_response(expected, {"body": {"a": 2}}) != []


def test_xml_bodies_compare_elements_attributes_and_text() -> None:
    headers = {"Content-Type": "application/xml"}
    expected = {"headers": headers, "body": '<a x="1"><b>t</b></a>'}
    assert match_response(expected, {"headers": headers, "body": '<a x="1"><b> t </b></a>'}) == []
    [mismatch] = match_response(expected, {"headers": headers, "body": '<a x="2"><b>t</b></a>'})
    assert mismatch.path == "$.body.a.@x"
    assert mismatch.message == "Expected attribute 'x' of 'a' to equal '1' but got '2'"


def test_xml_rules_reach_attributes_and_text() -> None:
    headers = {"Content-Type": "application/xml"}
    expected = {
        "headers": headers,
        "body": '<a x="1"><b>t</b></a>',
        "matchingRules": {
            "body": {
                "$.a['@x']": {"matchers": [{"match": "integer"}]},
                "$.a.b['#text']": {"matchers": [{"match": "regex", "regex": "[a-z]+"}]},
            }
        },
    }
    assert match_response(expected, {"headers": headers, "body": '<a x="9"><b>zz</b></a>'}) == []
    assert len(match_response(expected, {"headers": headers, "body": '<a x="q"><b>Z</b></a>'})) == 2


def test_xml_entity_declarations_are_refused() -> None:
    headers = {"Content-Type": "application/xml"}
    bomb = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'
    [mismatch] = match_response(
        {"headers": headers, "body": "<a>x</a>"}, {"headers": headers, "body": bomb}
    )
    assert "entity" in mismatch.message


def test_plain_text_compares_by_equality_or_the_root_rule() -> None:
    headers = {"Content-Type": "text/plain"}
    assert (
        match_response({"headers": headers, "body": "hi"}, {"headers": headers, "body": "hi"}) == []
    )
    assert (
        match_response({"headers": headers, "body": "hi"}, {"headers": headers, "body": "ho"}) != []
    )
    ruled = {
        "headers": headers,
        "body": "hi 1",
        "matchingRules": {"body": {"$": {"matchers": [{"match": "regex", "regex": "hi \\d"}]}}},
    }
    assert match_response(ruled, {"headers": headers, "body": "hi 7"}) == []


def test_form_bodies_compare_like_queries_with_body_rules() -> None:
    headers = {"Content-Type": FORM}
    expected = {
        "headers": headers,
        "body": "a=1&b=x",
        "matchingRules": {"body": {"$.a": {"matchers": [{"match": "integer"}]}}},
    }
    assert match_response(expected, {"headers": headers, "body": "b=x&a=42"}) == []
    assert match_response(expected, {"headers": headers, "body": "b=x&a=z"}) != []
    [extra] = match_response(expected, {"headers": headers, "body": "b=x&a=1&c=3"})
    assert extra.path == "$.body.c"


def _multipart(field_value: str, file_bytes: bytes) -> dict[str, object]:
    raw = (
        b'--XyZ\r\nContent-Disposition: form-data; name="field"\r\n\r\n'
        + field_value.encode()
        + b'\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        + b"Content-Type: image/png\r\n\r\n"
        + file_bytes
        + b"\r\n--XyZ--\r\n"
    )
    return {
        "contentType": "multipart/form-data; boundary=XyZ",
        "encoded": "base64",
        "content": base64.b64encode(raw).decode(),
    }


def test_multipart_parts_compare_by_name() -> None:
    png = b"\x89PNG\r\n\x1a\nrest"
    expected = {
        "body": _multipart("hello", png),
        "matchingRules": {
            "body": {"$.file": {"matchers": [{"match": "contentType", "value": "image/png"}]}}
        },
    }
    assert match_request(expected, {"body": _multipart("hello", png + b"more")}) == []
    [mismatch] = match_request(expected, {"body": _multipart("bye", png)})
    assert mismatch.path == "$.body.field"
    [mismatch] = match_request(expected, {"body": _multipart("hello", b"GIF89a...")})
    assert mismatch.path == "$.body.file"


def test_binary_bodies_compare_bytes() -> None:
    data = base64.b64encode(b"\x00\x01\x02").decode()
    other = base64.b64encode(b"\x00\x01\x03").decode()
    body = {"contentType": "application/octet-stream", "encoded": "base64", "content": data}
    assert match_response({"body": body}, {"body": dict(body)}) == []
    assert match_response({"body": body}, {"body": {**body, "content": other}}) != []


def test_messages_compare_contents_like_response_bodies() -> None:
    expected = {"contents": {"a": 1}, "metaData": {"contentType": "application/json"}}
    metadata = {"contentType": "application/json"}
    actual = {"contents": {"a": 1, "extra": 2}, "metaData": metadata}
    assert match_message(expected, actual, spec="V3") == []
    assert match_message(expected, {"contents": {"a": 2}, "metaData": metadata}, spec="V3") != []


def test_v4_message_content_category_rules_apply() -> None:
    expected = {
        "contents": {"contentType": "application/json", "content": {"id": 1}},
        "matchingRules": {"content": {"$.id": {"matchers": [{"match": "integer"}]}}},
    }
    actual = {"contents": {"contentType": "application/json", "content": {"id": 5}}}
    assert match_message(expected, actual) == []


def test_an_empty_body_is_judged_by_the_rule_on_the_whole_body() -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode("ascii")
    expected = {
        "headers": {"Content-Type": "image/png"},
        "body": png,
        "matchingRules": {"body": {"$": {"matchers": [{"match": "notEmpty"}]}}},
    }
    actual = {"headers": {"Content-Type": "image/png"}, "body": ""}
    [mismatch] = match_response(expected, actual)
    assert mismatch.path == "$.body"
    assert mismatch.actual == b""
    assert "not to be empty" in mismatch.message
    # without a rule on the whole body, an empty body is still reported as empty
    del expected["matchingRules"]
    [mismatch] = match_response(expected, actual)
    assert "it was empty" in mismatch.message
