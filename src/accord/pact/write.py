"""Writing the model back out as JSON, in two shapes for two readers.

* :func:`pact_to_json` and :func:`interaction_to_json` write a V4 pact: bodies as V4 body
  objects ``{"content", "contentType", "encoded"}``, headers and query as lists, rules in the
  category form. Whatever version was read, V4 is written, and reading it again gives the same
  model (only ``spec`` and the version in ``metadata`` change).
* :func:`request_to_json`, :func:`response_to_json` and :func:`message_to_json` write one part
  in the shape the matching engine takes as ``expected``: the same V4 layout, except that a
  body is written *plain*, as a V3 pact carries it (a JSON value for JSON content, a string for
  text, Base64 text for binary, ``""`` for empty, ``null`` for null, no key when absent).

The JSON returned shares nested values (bodies, params, metadata) with the model; copy it
before changing it.
"""

from collections.abc import Callable
from typing import Any

from accord.pact.bodies import body_to_plain_json, body_to_v4_json
from accord.pact.http_parts import headers_to_json, query_to_json
from accord.pact.model import (
    AnyInteraction,
    AsynchronousMessage,
    Body,
    BodyKind,
    Generators,
    HttpRequest,
    HttpResponse,
    MatchingRules,
    MessageContents,
    Pact,
    ProviderState,
    SynchronousHttp,
)
from accord.pact.parse import ASYNC_MESSAGE_TYPE, HTTP_TYPE, SYNC_MESSAGE_TYPE
from accord.pact.rules import generators_to_json, matching_rules_to_json

V4_VERSION = "4.0"
# metadata spellings of the specification version that V4 replaces with ``pactSpecification``
_LEGACY_VERSION_KEYS = ("pact-specification", "pactSpecificationVersion")

BodyWriter = Callable[[Body], Any]


def pact_to_json(pact: Pact) -> dict[str, Any]:
    """The pact as a V4 JSON document (``metadata.pactSpecification.version`` is ``"4.0"``)."""
    metadata = {k: v for k, v in pact.metadata.items() if k not in _LEGACY_VERSION_KEYS}
    metadata["pactSpecification"] = {"version": V4_VERSION}
    return {
        "consumer": {"name": pact.consumer},
        "provider": {"name": pact.provider},
        "interactions": [interaction_to_json(i) for i in pact.interactions],
        "metadata": metadata,
    }


def interaction_to_json(interaction: AnyInteraction) -> dict[str, Any]:
    """One interaction as V4 JSON, with its ``type``."""
    written: dict[str, Any] = dict(interaction.extensions)
    if isinstance(interaction, SynchronousHttp):
        written["type"] = HTTP_TYPE
    elif isinstance(interaction, AsynchronousMessage):
        written["type"] = ASYNC_MESSAGE_TYPE
    else:
        written["type"] = SYNC_MESSAGE_TYPE
    written["description"] = interaction.description
    if interaction.key is not None:
        written["key"] = interaction.key
    if interaction.broker_id is not None:
        written["_id"] = interaction.broker_id
    if interaction.provider_states:
        written["providerStates"] = [_provider_state(s) for s in interaction.provider_states]
    if isinstance(interaction, SynchronousHttp):
        written["request"] = _request(interaction.request, body_to_v4_json)
        written["response"] = _response(interaction.response, body_to_v4_json)
    elif isinstance(interaction, AsynchronousMessage):
        written.update(_message(interaction.message, body_to_v4_json))
    else:
        written["request"] = _message(interaction.request, body_to_v4_json)
        written["response"] = [_message(r, body_to_v4_json) for r in interaction.response]
    written["pending"] = interaction.pending
    if interaction.comments:
        written["comments"] = dict(interaction.comments)
    return written


def request_to_json(req: HttpRequest) -> dict[str, Any]:
    """The request as the matching engine's ``expected`` (V4 layout, plain body)."""
    return _request(req, body_to_plain_json)


def response_to_json(resp: HttpResponse) -> dict[str, Any]:
    """The response as the matching engine's ``expected`` (V4 layout, plain body)."""
    return _response(resp, body_to_plain_json)


def message_to_json(msg: MessageContents) -> dict[str, Any]:
    """``{"contents", "metadata", "matchingRules", "generators"}`` with plain contents; the
    ``contents`` key is left out when the message declares no contents."""
    return _message(msg, body_to_plain_json, always=True)


def _provider_state(state: ProviderState) -> dict[str, Any]:
    written: dict[str, Any] = {"name": state.name}
    if state.params:
        written["params"] = dict(state.params)
    return written


def _rules_and_generators(
    written: dict[str, Any], rules: MatchingRules, generators: Generators, *, always: bool = False
) -> dict[str, Any]:
    rules_json = matching_rules_to_json(rules)
    generators_json = generators_to_json(generators)
    if rules_json or always:
        written["matchingRules"] = rules_json
    if generators_json or always:
        written["generators"] = generators_json
    return written


def _request(req: HttpRequest, write_body: BodyWriter) -> dict[str, Any]:
    written: dict[str, Any] = {"method": req.method, "path": req.path}
    if req.query:
        written["query"] = query_to_json(req.query)
    if req.headers:
        written["headers"] = headers_to_json(req.headers)
    if req.body.kind is not BodyKind.ABSENT:
        written["body"] = write_body(req.body)
    return _rules_and_generators(written, req.matching_rules, req.generators)


def _response(resp: HttpResponse, write_body: BodyWriter) -> dict[str, Any]:
    written: dict[str, Any] = {"status": resp.status}
    if resp.headers:
        written["headers"] = headers_to_json(resp.headers)
    if resp.body.kind is not BodyKind.ABSENT:
        written["body"] = write_body(resp.body)
    return _rules_and_generators(written, resp.matching_rules, resp.generators)


def _message(
    msg: MessageContents, write_body: BodyWriter, *, always: bool = False
) -> dict[str, Any]:
    written: dict[str, Any] = {}
    if msg.contents.kind is not BodyKind.ABSENT:
        written["contents"] = write_body(msg.contents)
    if msg.metadata or always:
        written["metadata"] = dict(msg.metadata)
    return _rules_and_generators(written, msg.matching_rules, msg.generators, always=always)
