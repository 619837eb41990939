"""Apply a part's generators before it is sent (spec §4), on the pact model itself.

The verifier (``mode="provider"``) generates request values, with ``ProviderState`` values taken
from the state-change results; the mock server side (``mode="consumer"``) generates responses and
messages, with ``MockServerURL`` from the mock server's address. Everything else runs in both.
A generator that cannot produce a value leaves the example in place; an ``on_skip`` callback
hears why, so a verifier can say that the example was sent instead (a missing provider-state
value otherwise surfaces only as a puzzling mismatch).

:func:`generate_request`, :func:`generate_response` and :func:`generate_message` take a part of
the model and return it with its values generated, body bytes included, ready to send: the
verifier and the stub call them without writing the part as pact JSON and reading it back.
:func:`apply_generators` does the same to a part given as pact JSON (the compatibility suite's
and some users' form). Both go through one implementation,
:func:`accord.matching.generator_slots.run_generators`, over a record of the values generators
may replace.
"""

import copy
import json
import random
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from accord.matching.generator_slots import (
    BODY_CATEGORIES,
    MISSING,
    Mode,
    OnSkip,
    Slots,
    describe_skip,
    run_generators,
)
from accord.pact.bodies import body_to_plain_json, canonical_json, is_json_type, is_text_type
from accord.pact.model import Body, BodyKind, Generators, HttpRequest, HttpResponse, MessageContents
from accord.pact.rules import parse_generators

_V4_BODY_KEYS = frozenset({"content", "contentType", "encoded", "contentTypeHint"})


# --- the model's entry points ------------------------------------------------------------------


def generate_request(
    request: HttpRequest,
    *,
    mode: Mode = "provider",
    context: Mapping[str, Any] | None = None,
    rng: random.Random | None = None,
    on_skip: OnSkip | None = None,
) -> HttpRequest:
    """``request`` with its generators applied (itself when it has none).

    Method, path, query and headers hold the generated values; a body a generator changed is
    written anew (``Body.raw`` is what to send), an unchanged one keeps the pact's bytes.
    """
    if not request.generators:
        return request
    slots = Slots()
    slots.method, slots.path = request.method, request.path
    slots.query = {name: list(values) for name, values in request.query.items()}
    slots.headers = {name: list(values) for name, values in request.headers.items()}
    plain = _fill_body(slots, request.body, request.generators)
    run_generators(slots, request.generators, mode=mode, context=context, rng=rng, on_skip=on_skip)
    return replace(
        request,
        method=str(slots.method),
        path=str(slots.path),
        query={name: _query_values(values) for name, values in slots.query.items()},
        headers={name: _header_values(values) for name, values in slots.headers.items()},
        body=_generated_body(request.body, plain, slots.body),
    )


def generate_response(
    response: HttpResponse,
    *,
    mode: Mode = "consumer",
    context: Mapping[str, Any] | None = None,
    rng: random.Random | None = None,
    on_skip: OnSkip | None = None,
) -> HttpResponse:
    """``response`` with its generators applied (itself when it has none); a status that a
    generator did not make a number keeps the example."""
    if not response.generators:
        return response
    slots = Slots()
    slots.status = response.status
    slots.headers = {name: list(values) for name, values in response.headers.items()}
    plain = _fill_body(slots, response.body, response.generators)
    run_generators(slots, response.generators, mode=mode, context=context, rng=rng, on_skip=on_skip)
    try:
        status = int(slots.status)
    except (TypeError, ValueError):
        status = response.status
    return replace(
        response,
        status=status,
        headers={name: _header_values(values) for name, values in slots.headers.items()},
        body=_generated_body(response.body, plain, slots.body),
    )


def generate_message(
    message: MessageContents,
    *,
    mode: Mode = "consumer",
    context: Mapping[str, Any] | None = None,
    rng: random.Random | None = None,
    on_skip: OnSkip | None = None,
) -> MessageContents:
    """``message`` with its generators applied to its contents and metadata."""
    if not message.generators:
        return message
    slots = Slots()
    slots.metadata = dict(message.metadata)
    plain = _fill_body(slots, message.contents, message.generators)
    run_generators(slots, message.generators, mode=mode, context=context, rng=rng, on_skip=on_skip)
    return replace(
        message,
        metadata=slots.metadata,
        contents=_generated_body(message.contents, plain, slots.body),
    )


def _fill_body(slots: Slots, body: Body, generators: Generators) -> Any:
    """Put a copy of ``body``'s pact-JSON value in ``slots`` when a generator may change it;
    return the value as the pact has it (for telling whether it changed)."""
    if body.kind is BodyKind.ABSENT or not any(c in generators for c in BODY_CATEGORIES):
        return MISSING
    plain = body_to_plain_json(body)
    slots.body = copy.deepcopy(plain)
    return plain


def _generated_body(body: Body, plain: Any, generated: Any) -> Body:
    """``body`` after generation: the pact's own bytes unless the value changed."""
    if plain is MISSING or body.kind is BodyKind.NULL or generated == plain:
        return body
    raw = body_bytes(generated, body.content_type)
    value = generated
    if isinstance(generated, str) and is_json_type(body.content_type):
        try:
            value = json.loads(raw)
        except ValueError:
            value = generated
    return Body(BodyKind.PRESENT if raw else body.kind, value, raw, body.content_type)


def body_bytes(body: Any, content_type: str | None) -> bytes:
    """Bytes of a plain pact-JSON body (a JSON value, text, or Base64 of binary content)."""
    if is_json_type(content_type) or (content_type is None and not isinstance(body, str)):
        return body.encode("utf-8") if isinstance(body, str) else canonical_json(body)
    if isinstance(body, str):
        if content_type is not None and not is_text_type(content_type):
            import base64

            return base64.b64decode(body)
        return body.encode("utf-8")
    return canonical_json(body)


def _header_values(values: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in values) if isinstance(values, list) else (str(values),)


def _query_values(values: Any) -> tuple[str | None, ...]:
    if isinstance(values, list):
        return tuple(None if value is None else str(value) for value in values)
    return (None if values is None else str(values),)


# --- the pact-JSON entry point ----------------------------------------------------------------


def apply_generators(
    part: dict[str, Any],
    *,
    mode: Mode,
    context: Mapping[str, Any] | None = None,
    rng: random.Random | None = None,
    on_skip: OnSkip | None = None,
) -> dict[str, Any]:
    """Return a copy of ``part`` (a pact-JSON request, response or message) with its
    ``generators`` applied. ``part`` itself is never changed.

    ``on_skip`` is called once per generator that could not produce a value, with a sentence
    saying where, which generator and why (see :func:`describe_skip`). Generators of the other
    mode (``ProviderState`` for a consumer, ``MockServerURL`` for a provider) are skipped
    silently: that is their design, not a problem.
    """
    result = copy.deepcopy(part)
    generators = parse_generators(part.get("generators"), path="generators")
    if not generators:
        return result
    slots = Slots()
    slots.method = result.get("method", MISSING)
    slots.path = result.get("path", MISSING)
    slots.status = result.get("status", MISSING)
    slots.headers = result.get("headers", MISSING)
    slots.query = result.get("query", MISSING)
    metadata_key = "metaData" if "metaData" in result and "metadata" not in result else "metadata"
    slots.metadata = result.get(metadata_key, MISSING)
    holder, slot = _body_holder(result)
    if holder is not None:
        slots.body = holder[slot]
    run_generators(slots, generators, mode=mode, context=context, rng=rng, on_skip=on_skip)
    for key, value in (
        ("method", slots.method),
        ("path", slots.path),
        ("headers", slots.headers),
        ("query", slots.query),
        ("status", slots.status),
        (metadata_key, slots.metadata),
    ):
        if value is not MISSING:
            result[key] = value
    if holder is not None:
        holder[slot] = slots.body
    return result


def _body_holder(part: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """Where a pact-JSON part keeps its body value: ``body``/``contents``, or the ``content``
    of a V4 body object; ``None`` when it has no body."""
    holder_key = "contents" if "contents" in part else "body"
    if holder_key not in part:
        return None, holder_key
    body = part[holder_key]
    if isinstance(body, dict) and body and body.keys() <= _V4_BODY_KEYS and "content" in body:
        return body, "content"
    return part, holder_key


__all__ = [
    "apply_generators",
    "body_bytes",
    "describe_skip",
    "generate_message",
    "generate_request",
    "generate_response",
]
