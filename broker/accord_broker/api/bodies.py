"""Reading request bodies: size-limited, JSON, an object, or a 4xx that says why."""

import json
from typing import Any

from fastapi import Request

from accord_broker.domain.json_values import load_storable_json
from accord_broker.errors import BrokerInputError, BrokerRequestError
from accord_broker.web.context import broker_of

JSON_TYPES = ("application/json", "application/merge-patch+json", "application/hal+json")


class PayloadTooLargeError(BrokerRequestError):
    """The body is larger than ``ACCORD_BROKER_MAX_BODY_BYTES`` (HTTP 413)."""

    status = 413


class UnsupportedMediaTypeError(BrokerRequestError):
    """The body is not JSON (HTTP 415)."""

    status = 415


def too_large(limit: int) -> PayloadTooLargeError:
    message = (
        f"request body is larger than the limit of {limit} bytes; "
        "raise ACCORD_BROKER_MAX_BODY_BYTES to accept it"
    )
    return PayloadTooLargeError(message, errors={"body": [message]})


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON object body (an empty body with a JSON content type reads as ``{}``).

    The content type is checked first, whatever the body: an empty cross-site form post must
    never pass for ``{}`` (``web.security`` refuses those earlier too).
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type.lower() not in JSON_TYPES:
        shown = repr(content_type) if content_type else "(none)"
        message = f"Content-Type {shown} is not supported; send application/json"
        raise UnsupportedMediaTypeError(message, errors={"body": [message]})
    raw = await _read_limited(request)
    if not raw.strip():
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"request body has a non UTF-8 byte at position {exc.start}"
        raise BrokerInputError(message, errors={"body": [message]}) from exc
    try:
        data = load_storable_json(text)
    except json.JSONDecodeError as exc:
        message = (
            f"request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        )
        raise BrokerInputError(message, errors={"body": [message]}) from exc
    except RecursionError as exc:
        message = "request body is nested too deeply to read"
        raise BrokerInputError(message, errors={"body": [message]}) from exc
    if not isinstance(data, dict):
        message = f"request body must be a JSON object, not {type(data).__name__}"
        raise BrokerInputError(message, errors={"body": [message]})
    return data


async def _read_limited(request: Request) -> bytes:
    limit = broker_of(request).settings.max_body_bytes
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)
