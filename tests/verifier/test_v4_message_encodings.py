"""V4 message bodies in every encoding, and synchronous messages whose parts differ in type.

A V4 body is ``{"content", "contentType", "encoded"}``: the content may be a JSON value, text,
Base64 (``encoded: "base64"``) or JSON text (``encoded: "json"``). Whatever the encoding, the
verifier must compare what the provider really produced with what the pact means, so each case
is checked three ways: the right message passes, a wrong one fails on its body, and a message
that differs only where the content type allows (key order, whitespace, a charset) passes.
"""

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from verifier_providers import pact_document

from accord.verifier import Message, MessageProducers, verify
from accord.verifier.results import VerificationResult

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\x00binary"


@dataclass(frozen=True)
class EncodingCase:
    """A V4 ``contents`` object and three messages a provider could produce for it."""

    contents: dict[str, Any]
    right: Message
    wrong: Message
    benign: Message


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


CASES = {
    "a JSON value": EncodingCase(
        {"content": {"id": 1, "name": "a"}, "contentType": "application/json", "encoded": False},
        Message({"id": 1, "name": "a"}),
        Message({"id": 2, "name": "a"}),
        Message(b'{ "name": "a",\n  "id": 1 }', content_type="application/json"),
    ),
    "text": EncodingCase(
        {"content": "hello world", "contentType": "text/plain", "encoded": False},
        Message("hello world", content_type="text/plain"),
        Message("hello jupiter", content_type="text/plain"),
        Message(b"hello world", content_type="text/plain; charset=utf-8"),
    ),
    "XML text": EncodingCase(
        {"content": "<a><b>1</b></a>", "contentType": "application/xml"},
        Message("<a><b>1</b></a>", content_type="application/xml"),
        Message("<a><b>2</b></a>", content_type="application/xml"),
        Message(
            b'<?xml version="1.0" encoding="UTF-8"?>\n<a>\n  <b>1</b>\n</a>\n',
            content_type="application/xml",
        ),
    ),
    "Base64 binary": EncodingCase(
        {"content": _b64(PNG_BYTES), "contentType": "image/png", "encoded": "base64"},
        Message(PNG_BYTES, content_type="image/png"),
        Message(PNG_BYTES + b"!", content_type="image/png"),
        # the content type told by the metadata instead of the transport
        Message(PNG_BYTES, {"contentType": "image/png"}),
    ),
    "Base64 JSON": EncodingCase(
        {
            "content": _b64(b'{"id": 1, "tags": ["x"]}'),
            "contentType": "application/json",
            "encoded": "base64",
        },
        Message({"id": 1, "tags": ["x"]}),
        Message({"id": 1, "tags": ["y"]}),
        Message(b'{"tags":["x"],"id":1}', content_type="application/json"),
    ),
    "Base64 text": EncodingCase(
        {"content": _b64("grüße".encode()), "contentType": "text/plain", "encoded": "base64"},
        Message("grüße", content_type="text/plain"),
        Message("grusse", content_type="text/plain"),
        Message("grüße".encode(), content_type="text/plain;charset=UTF-8"),
    ),
    "JSON text (encoded: json)": EncodingCase(
        {
            "content": '{"id": 1, "tags": ["x"]}',
            "contentType": "application/json",
            "encoded": "json",
        },
        Message({"id": 1, "tags": ["x"]}),
        Message({"id": "1", "tags": ["x"]}),
        Message('{"tags": ["x"], "id": 1}', content_type="application/json"),
    ),
    "JSON text (encoded: JSON)": EncodingCase(
        {"content": "[1, 2, 3]", "contentType": "application/json", "encoded": "JSON"},
        Message([1, 2, 3]),
        Message([1, 2]),
        Message(b"[1,2,3]", content_type="application/json"),
    ),
    "a vendor JSON type": EncodingCase(
        {"content": {"id": 1}, "contentType": "application/vnd.bank.event+json", "encoded": False},
        Message({"id": 1}, content_type="application/vnd.bank.event+json"),
        Message({"id": 3}, content_type="application/vnd.bank.event+json"),
        Message(b'{"id":1,"extra":true}', content_type="application/vnd.bank.event+json"),
    ),
}


def _async_pact(write_pact: Any, contents: dict[str, Any]) -> Path:
    interaction = {
        "type": "Asynchronous/Messages",
        "description": "an event",
        "contents": contents,
    }
    path: Path = write_pact(pact_document([interaction], spec="4.0"))
    return path


def _verify_with(pact: Path, message: Message, description: str = "an event") -> VerificationResult:
    return verify(
        files=[pact],
        message_producers=MessageProducers({description: message}),
        output=None,
        raise_on_failure=False,
    )


@pytest.mark.parametrize("name", CASES)
def test_the_right_message_passes(write_pact: Any, name: str) -> None:
    case = CASES[name]
    result = _verify_with(_async_pact(write_pact, case.contents), case.right)
    assert result.success, result.interactions


@pytest.mark.parametrize("name", CASES)
def test_a_wrong_message_fails_on_its_body(write_pact: Any, name: str) -> None:
    case = CASES[name]
    result = _verify_with(_async_pact(write_pact, case.contents), case.wrong)
    [failed] = result.failures
    assert failed.error is None
    assert [m.attribute for m in failed.mismatches] == ["body"], failed.mismatches


@pytest.mark.parametrize("name", CASES)
def test_a_benign_variation_passes(write_pact: Any, name: str) -> None:
    case = CASES[name]
    result = _verify_with(_async_pact(write_pact, case.contents), case.benign)
    assert result.success, result.interactions


# --- synchronous messages: request and response each read by their own content type ----------

_XML_ANSWER = '<balance account="7" currency="EUR">70</balance>'


def _sync_pact(write_pact: Any, request: dict[str, Any], *responses: dict[str, Any]) -> Path:
    interaction = {
        "type": "Synchronous/Messages",
        "description": "a balance query",
        "request": {"contents": request},
        "response": [{"contents": response} for response in responses],
    }
    path: Path = write_pact(pact_document([interaction], spec="4.0"))
    return path


def _json_request_xml_response(write_pact: Any) -> Path:
    return _sync_pact(
        write_pact,
        {"content": {"account": 7}, "contentType": "application/json", "encoded": False},
        {"content": _XML_ANSWER, "contentType": "application/xml", "encoded": False},
    )


def _balance_producer(answer: str) -> tuple[MessageProducers, list[Any]]:
    producers = MessageProducers()
    seen: list[Any] = []

    @producers("a balance query")
    def query(request: Any) -> Message:
        seen.append(request)
        return Message(answer.encode(), content_type="application/xml")

    return producers, seen


def test_a_json_request_gets_an_xml_response_that_matches(write_pact: Any) -> None:
    producers, seen = _balance_producer(_XML_ANSWER)
    result = verify(
        files=[_json_request_xml_response(write_pact)], message_producers=producers, output=None
    )
    assert result.success
    assert seen == [{"account": 7}]  # the producer got the request as the JSON it is


def test_a_wrong_xml_response_fails_on_its_body(write_pact: Any) -> None:
    producers, _ = _balance_producer(_XML_ANSWER.replace(">70<", ">71<"))
    result = verify(
        files=[_json_request_xml_response(write_pact)],
        message_producers=producers,
        output=None,
        raise_on_failure=False,
    )
    [failed] = result.failures
    assert [m.attribute for m in failed.mismatches] == ["body"], failed.mismatches
    assert "71" in json.dumps([m.actual for m in failed.mismatches])


def test_an_xml_response_with_other_attribute_order_and_layout_passes(write_pact: Any) -> None:
    reordered = '<?xml version="1.0"?>\n<balance currency="EUR"  account="7">70</balance>\n'
    producers, _ = _balance_producer(reordered)
    result = verify(
        files=[_json_request_xml_response(write_pact)],
        message_producers=producers,
        output=None,
        raise_on_failure=False,
    )
    assert result.success, result.interactions


def test_a_text_request_gets_a_base64_json_response(write_pact: Any) -> None:
    pact = _sync_pact(
        write_pact,
        {"content": "balance 7", "contentType": "text/plain", "encoded": False},
        {
            "content": _b64(b'{"balance": 70}'),
            "contentType": "application/json",
            "encoded": "base64",
        },
    )
    seen: list[Any] = []

    def answer(request: Any) -> Message:
        seen.append(request)
        return Message({"balance": 70 if request == "balance 7" else 0})

    assert verify(files=[pact], message_producers={"a balance query": answer}, output=None).success
    assert seen == ["balance 7"]
    wrong = verify(
        files=[pact],
        message_producers={"a balance query": Message({"balance": 0})},
        output=None,
        raise_on_failure=False,
    )
    assert [m.attribute for m in wrong.failures[0].mismatches] == ["body"]


def test_each_response_of_a_sync_message_is_read_by_its_own_content_type(
    write_pact: Any,
) -> None:
    pact = _sync_pact(
        write_pact,
        {"content": {"account": 7}, "contentType": "application/json"},
        {"content": "<ok/>", "contentType": "application/xml"},
        {"content": {"balance": 70}, "contentType": "application/json"},
    )
    right = [
        Message("<ok></ok>", content_type="application/xml"),
        Message(b'{ "balance": 70 }', content_type="application/json"),
    ]
    assert verify(files=[pact], message_producers={"a balance query": right}, output=None).success
    wrong = [right[0], Message({"balance": 71})]
    result = verify(
        files=[pact],
        message_producers={"a balance query": wrong},
        output=None,
        raise_on_failure=False,
    )
    [failed] = result.failures
    assert [m.attribute for m in failed.mismatches] == ["body"]


def _xml_message_endpoint(answer: str, seen: list[Any]) -> Any:
    """A provider's message endpoint (the Pact message protocol) that answers with XML."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def produce(request: Request) -> Response:
        seen.append(await request.json())
        return Response(answer.encode(), media_type="application/xml")

    return Starlette(routes=[Route("/", produce, methods=["POST"])])


@pytest.mark.parametrize(
    ("answer", "passes"),
    [
        (_XML_ANSWER, True),
        ('<balance currency="EUR" account="7">71</balance>', False),
        ('<?xml version="1.0"?><balance currency="EUR" account="7">70</balance>', True),
    ],
    ids=["right", "wrong", "benign"],
)
def test_a_sync_message_from_an_http_endpoint_is_read_by_its_content_types(
    write_pact: Any, answer: str, passes: bool
) -> None:
    seen: list[Any] = []
    result = verify(
        files=[_json_request_xml_response(write_pact)],
        app=_xml_message_endpoint(answer, seen),
        message_producers={},
        output=None,
        raise_on_failure=False,
    )
    assert result.success is passes, result.interactions
    [asked] = seen
    assert asked["description"] == "a balance query"
    assert asked["request"]["contents"] == {"account": 7}
