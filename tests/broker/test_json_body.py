"""Response bodies through orjson read back exactly as the standard encoder's did (issue #20)."""

import json
from typing import Any

import pytest
from accord_broker.api.hal import HalResponse
from accord_broker.api.json_body import encode
from starlette.responses import JSONResponse


def _starlette(value: Any) -> bytes:
    return JSONResponse(value).body


BODIES = [
    {"name": "Zoë 😀", "_links": {"self": {"href": "http://b/pacticipants/Zo%C3%AB"}}},
    {"control": 'a\u001fb\n\t"q" \\', "slash": "a/b", "separator": "\u2028\u2029"},
    {"numbers": [0, -1, 2**63 - 1, -(2**63), 1.5, 0.1, True, False, None]},
    {"nested": [[{"a": []}], {}], "empty": ""},
]


@pytest.mark.parametrize("body", BODIES)
def test_the_same_bytes_as_the_standard_encoder(body: dict[str, Any]) -> None:
    assert encode(body) == _starlette(body)
    assert HalResponse(body).body == _starlette(body)


def test_integers_beyond_64_bits_fall_back_to_the_standard_encoder() -> None:
    body = {"big": 2**64, "negative": -(2**70)}
    assert encode(body) == _starlette(body)
    assert json.loads(encode(body)) == body


def test_non_string_keys_fall_back_to_the_standard_encoder() -> None:
    body = {1: "one", "two": {3: [4]}}
    assert encode(body) == _starlette(body)


def test_floats_read_back_equal_whatever_their_exponent_is_written_as() -> None:
    body = {"values": [1e16, 1e-7, 123456789.125, 5e-324, 1.7976931348623157e308]}
    assert json.loads(encode(body)) == json.loads(_starlette(body)) == body


def test_shared_parts_are_written_wherever_they_appear() -> None:
    shared = {"number": "1.0.0", "_links": {"self": {"href": "http://b/v/1.0.0"}}}
    body = {"rows": [{"consumer": shared}, {"consumer": shared, "provider": shared}]}
    assert encode(body) == _starlette(body)


def test_a_lone_surrogate_still_fails_as_before() -> None:
    with pytest.raises(UnicodeEncodeError):
        encode({"bad": "\ud800"})
