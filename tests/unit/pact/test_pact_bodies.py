"""Bodies: absent, null, empty or present, read through their content type (spec §1.6)."""

import base64

import pytest

from accord.pact import Body, BodyKind, SynchronousHttp, pact_to_json, parse_pact
from accord.pact.bodies import body_to_plain_json, body_to_v4_json, sniff_content_type


def _response_body(version: str, response: dict[str, object]) -> Body:
    document = {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "d",
                "request": {"method": "GET", "path": "/"},
                "response": {"status": 200, **response},
            }
        ],
        "metadata": {"pactSpecification": {"version": version}},
    }
    (interaction,) = parse_pact(document).interactions
    assert isinstance(interaction, SynchronousHttp)
    return interaction.response.body


def _v2(body: object, content_type: str | None = None) -> Body:
    headers = {"Content-Type": content_type} if content_type else {}
    return _response_body("2.0.0", {"body": body, "headers": headers})


def _v4(body: object, content_type: str | None = None) -> Body:
    headers = {"Content-Type": [content_type]} if content_type else {}
    return _response_body("4.0", {"body": body, "headers": headers})


def test_no_body_key_is_an_absent_body() -> None:
    assert _response_body("2.0.0", {}).kind is BodyKind.ABSENT
    assert _response_body("4.0", {}).kind is BodyKind.ABSENT


@pytest.mark.parametrize("read", [_v2, _v4])
def test_null_and_empty_bodies_are_told_apart_from_absent(read: object) -> None:
    assert callable(read)
    assert read(None).kind is BodyKind.NULL
    assert read("").kind is BodyKind.EMPTY


@pytest.mark.parametrize(
    ("text", "content_type", "value", "raw"),
    [
        ('{"a": 1}', "application/json", {"a": 1}, b'{"a": 1}'),
        ("not json", "application/json", "not json", b'"not json"'),
        ("alligator named mary", "text/plain", "alligator named mary", b"alligator named mary"),
        ("<a>1</a>", "application/xml", "<a>1</a>", b"<a>1</a>"),
        ("aGVsbG8=", "application/octet-stream", "aGVsbG8=", b"hello"),
        ("not base64!", "application/octet-stream", "not base64!", b"not base64!"),
        ('{"a": 1}', None, {"a": 1}, b'{"a": 1}'),
        ("plain words", None, "plain words", b"plain words"),
    ],
)
def test_a_v2_string_body_is_read_through_its_content_type(
    text: str, content_type: str | None, value: object, raw: bytes
) -> None:
    body = _v2(text, content_type)
    assert (body.kind, body.value, body.raw) == (BodyKind.PRESENT, value, raw)


def test_a_v2_json_value_body_keeps_the_value_and_compact_bytes() -> None:
    body = _v2({"name": "Mary", "tags": ["a"]})
    assert body.value == {"name": "Mary", "tags": ["a"]}
    assert body.raw == b'{"name":"Mary","tags":["a"]}'
    assert body.content_type == "application/json"


@pytest.mark.parametrize(
    ("text", "detected"),
    [
        ('<?xml version="1.0"?><a/>', "application/xml"),
        ("<!DOCTYPE html><html></html>", "text/html"),
        ("<animals/>", "application/xml"),
        ("[1, 2]", "application/json"),
        ("true", "application/json"),
        ("12 apples", "text/plain"),
    ],
)
def test_an_untyped_text_body_is_sniffed(text: str, detected: str) -> None:
    assert sniff_content_type(text) == detected


def test_v4_body_object_with_json_content() -> None:
    body = _v4({"content": {"id": 7}, "contentType": "application/json", "encoded": False})
    assert (body.value, body.raw, body.content_type) == ({"id": 7}, b'{"id":7}', "application/json")


def test_v4_unencoded_string_with_json_type_is_a_json_string() -> None:
    body = _v4({"content": "abc", "contentType": "application/json", "encoded": False})
    assert (body.value, body.raw) == ("abc", b'"abc"')


def test_v4_base64_binary_body_is_decoded_to_bytes() -> None:
    body = _v4({"content": "iVBORw0KGgo=", "contentType": "image/png", "encoded": "base64"})
    assert body.raw == b"\x89PNG\r\n\x1a\n"
    assert body.value == "iVBORw0KGgo="


def test_v4_base64_text_body_is_decoded_to_its_text() -> None:
    encoded = base64.b64encode(b"balance: 120").decode()
    body = _v4({"content": encoded, "contentType": "text/plain", "encoded": "base64"})
    assert (body.value, body.raw) == ("balance: 120", b"balance: 120")


def test_v4_json_encoding_means_json_text_inside_a_string() -> None:
    body = _v4({"content": '{"a": [1]}', "contentType": "application/json", "encoded": "JSON"})
    assert (body.value, body.raw) == ({"a": [1]}, b'{"a": [1]}')


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ({"content": None}, BodyKind.NULL),
        ({"content": "", "contentType": "text/plain"}, BodyKind.EMPTY),
        ({"contentType": "application/json"}, BodyKind.ABSENT),
    ],
)
def test_v4_lenient_body_spellings(written: dict[str, object], kind: BodyKind) -> None:
    assert _v4(written).kind is kind


def test_v4_bare_json_value_is_a_json_body() -> None:
    assert _v4([{"id": 1}]).value == [{"id": 1}]
    assert _v4({"id": 1, "content": "x"}).value == {"id": 1, "content": "x"}


def test_v4_body_content_type_falls_back_to_the_content_type_header() -> None:
    body = _v4({"content": "hello", "encoded": False}, "text/plain")
    assert (body.value, body.content_type) == ("hello", "text/plain")


@pytest.mark.parametrize(
    "body",
    [
        Body(BodyKind.PRESENT, {"a": 1}, b'{"a":1}', "application/json"),
        Body(BodyKind.PRESENT, {"a": 1}, b'{ "a" : 1 }', "application/json"),
        Body(BodyKind.PRESENT, "abc", b'"abc"', "application/json"),
        Body(BodyKind.PRESENT, "hello", b"hello", "text/plain"),
        Body(BodyKind.PRESENT, "aGk=", b"hi", "application/octet-stream"),
        Body(BodyKind.PRESENT, {"a": 1}, b'{"a":1}', "text/plain"),
        Body(BodyKind.EMPTY, "", b"", "text/plain"),
        Body(BodyKind.NULL),
    ],
)
def test_writing_a_body_as_v4_and_reading_it_back_gives_the_same_body(body: Body) -> None:
    written = body_to_v4_json(body)
    assert _v4(written) == body


def test_the_v4_writer_picks_the_plainest_encoding_that_keeps_the_bytes() -> None:
    json_body = Body(BodyKind.PRESENT, {"a": 1}, b'{"a":1}', "application/json")
    spaced = Body(BodyKind.PRESENT, {"a": 1}, b'{ "a": 1 }', "application/json")
    binary = Body(BodyKind.PRESENT, "aGk=", b"hi", "image/png")
    assert body_to_v4_json(json_body) == {
        "content": {"a": 1},
        "contentType": "application/json",
        "encoded": False,
    }
    assert body_to_v4_json(spaced) == {
        "content": '{ "a": 1 }',
        "contentType": "application/json",
        "encoded": "JSON",
    }
    assert body_to_v4_json(binary) == {
        "content": "aGk=",
        "contentType": "image/png",
        "encoded": "base64",
    }


@pytest.mark.parametrize(
    ("body", "plain"),
    [
        (Body(BodyKind.PRESENT, {"a": 1}, b'{"a":1}', "application/json"), {"a": 1}),
        (Body(BodyKind.PRESENT, "123", b'"123"', "application/json"), '"123"'),
        (Body(BodyKind.PRESENT, "hello", b"hello", "text/plain"), "hello"),
        (Body(BodyKind.PRESENT, "aGk=", b"hi", "image/png"), "aGk="),
        (Body(BodyKind.EMPTY, "", b""), ""),
        (Body(BodyKind.NULL), None),
    ],
)
def test_the_plain_form_is_the_body_as_a_v3_pact_carries_it(body: Body, plain: object) -> None:
    assert body_to_plain_json(body) == plain


def test_a_pact_written_as_v4_carries_v4_body_objects() -> None:
    document = {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [
            {
                "description": "d",
                "request": {"method": "GET", "path": "/"},
                "response": {"status": 200, "body": {"id": 1}},
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }
    written = pact_to_json(parse_pact(document))
    assert written["interactions"][0]["response"]["body"] == {
        "content": {"id": 1},
        "contentType": "application/json",
        "encoded": False,
    }
