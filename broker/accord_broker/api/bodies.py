"""Reading request bodies: size-limited, JSON, an object, or a 4xx that says why."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic

from fastapi import Request

from accord_broker.domain.bodies import Body, parse_body
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


BODY_MODEL = "__body_model__"
"""The attribute naming the model a :func:`parsed` dependency reads (the OpenAPI document
describes the request body from it)."""


def parsed(model: type[Body]) -> Callable[[Request], Awaitable[Body]]:
    """A dependency: the request's JSON object body as ``model``, or the broker's 400.

    Use as ``Annotated[PublishContractsBody, Depends(parsed(PublishContractsBody))]``.
    """

    async def read(request: Request) -> Body:
        return parse_body(model, await json_object(request))

    setattr(read, BODY_MODEL, model)
    read.__name__ = f"parsed_{model.__name__}"
    return read


@dataclass(frozen=True, slots=True)
class Unparsed(Generic[Body]):
    """A JSON object body read but not yet checked: for a route that must answer 404 for a
    missing resource before it judges the body (``PUT /environments/{uuid}`` never creates)."""

    model: type[Body]
    data: dict[str, Any]

    def parse(self) -> Body:
        """The body as its model, or the broker's 400."""
        return parse_body(self.model, self.data)


def parsed_later(model: type[Body]) -> Callable[[Request], Awaitable[Unparsed[Body]]]:
    """A dependency like :func:`parsed` whose body is checked when the route calls ``parse``."""

    async def read(request: Request) -> Unparsed[Body]:
        return Unparsed(model, await json_object(request))

    setattr(read, BODY_MODEL, model)
    read.__name__ = f"parsed_later_{model.__name__}"
    return read
