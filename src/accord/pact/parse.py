"""Reading pact files of every specification version (V1-V4) into the one model.

The envelope (consumer, provider, metadata, which version) is read here; the parts of an
interaction are read by :mod:`accord.pact.bodies`, :mod:`accord.pact.http_parts` and
:mod:`accord.pact.rules`. Every departure from the specification raises
:class:`~accord.errors.PactFormatError` naming the file, the JSON path and what was expected:
a user with a broken pact should be told where to look, not shown a ``KeyError``.
"""

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord.errors import PactFormatError
from accord.pact._json_node import JsonNode
from accord.pact.bodies import read_legacy_body, read_v4_body
from accord.pact.http_parts import header_value, read_headers, read_query
from accord.pact.model import (
    AnyInteraction,
    AsynchronousMessage,
    Body,
    HttpRequest,
    HttpResponse,
    MessageContents,
    Pact,
    ProviderState,
    SpecVersion,
    SynchronousHttp,
    SynchronousMessages,
)
from accord.pact.rules import parse_generators, parse_matching_rules

HTTP_TYPE = "Synchronous/HTTP"
ASYNC_MESSAGE_TYPE = "Asynchronous/Messages"
SYNC_MESSAGE_TYPE = "Synchronous/Messages"

# V4 interaction members that accord keeps without interpreting them.
_V4_EXTENSIONS = ("pluginConfiguration", "interactionMarkup", "transport")
_VERSION = re.compile(r"\s*[vV]?(\d+)(?:\.(\d+))?")
_VERSION_EXPECTED = 'a specification version such as "1.0.0", "1.1.0", "2.0.0", "3.0.0" or "4.0"'


def load_pact(path: str | os.PathLike[str]) -> Pact:
    """Read and parse a pact file; every error names the file.

    The file is read as UTF-8 with an optional byte-order mark (some official files have one).
    """
    source = os.fspath(path)
    try:
        text = Path(source).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PactFormatError(
            source, "", "UTF-8 encoded JSON", f"undecodable bytes ({exc.reason})"
        ) from exc
    except OSError as exc:
        raise PactFormatError(source, "", "a readable pact file", exc.strerror or str(exc)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise PactFormatError(source, where, "valid JSON", exc.msg) from exc
    except RecursionError as exc:
        raise PactFormatError(source, "", "JSON nested less deeply", "too deep to read") from exc
    return parse_pact(data, source=source)


def parse_pact(data: object, *, source: str = "<memory>") -> Pact:
    """Parse a pact document (a JSON value already loaded) of any specification version."""
    try:
        return _read_pact(JsonNode(data, source))
    except RecursionError as exc:
        raise PactFormatError(source, "", "JSON nested less deeply", "too deep to read") from exc


def _read_pact(root: JsonNode) -> Pact:
    root.object("a pact: an object with consumer, provider, interactions and metadata")
    metadata_node = root.optional("metadata")
    metadata = dict(metadata_node.object()) if metadata_node else {}
    spec = _spec_version(root, metadata_node)
    interactions: list[AnyInteraction] = []
    listed = root.optional("interactions")
    if listed is not None:
        for item in listed.elements("an array of interactions"):
            interaction = _read_v4_interaction(item) if spec == "V4" else _read_http(item, spec)
            if interaction is not None:
                interactions.append(interaction)
    messages = root.optional("messages")
    if messages is not None:
        for item in messages.elements("an array of messages"):
            interactions.append(_read_v3_message(item, spec))
    return Pact(
        consumer=_party_name(root, "consumer"),
        provider=_party_name(root, "provider"),
        spec=spec,
        interactions=tuple(interactions),
        metadata=metadata,
        source=root.source,
    )


def _party_name(root: JsonNode, role: str) -> str:
    party = root.required(role, f'the {role}: {{"name": "..."}}')
    party.object(f'the {role}: {{"name": "..."}}')
    name = party.required("name", f"the {role}'s name").string(f"the {role}'s name (a string)")
    if not name:
        raise party.member("name").error(f"a non-empty {role} name")
    return name


def _spec_version(root: JsonNode, metadata: JsonNode | None) -> SpecVersion:
    """The declared version, from any spelling in use; undeclared means V3 (as the reference
    does), or V4 when the interactions carry a V4 ``type``."""
    declared = None
    if metadata is not None:
        for key in ("pactSpecification", "pact-specification"):
            block = metadata.optional(key)
            if block is not None:
                version = block.object('an object like {"version": "4.0"}').get("version")
                if version is not None:
                    declared = block.member("version")
                    break
        if declared is None:
            declared = metadata.optional("pactSpecificationVersion")
    if declared is None:
        return "V4" if _has_v4_types(root) else "V3"
    return _version_from_text(declared)


def _version_from_text(node: JsonNode) -> SpecVersion:
    match = _VERSION.match(node.string(_VERSION_EXPECTED))
    if match is None:
        raise node.error(_VERSION_EXPECTED)
    major, minor = int(match.group(1)), int(match.group(2) or 0)
    if major == 1:
        return "V1" if minor == 0 else "V1.1"
    versions: dict[int, SpecVersion] = {2: "V2", 3: "V3", 4: "V4"}
    if major not in versions:
        raise node.error(f"{_VERSION_EXPECTED} (accord reads V1 to V4)")
    return versions[major]


def _has_v4_types(root: JsonNode) -> bool:
    listed = root.object().get("interactions")
    return isinstance(listed, list) and any(
        isinstance(item, dict) and isinstance(item.get("type"), str) for item in listed
    )


# --- what every interaction has -------------------------------------------------------------


def _common(node: JsonNode) -> dict[str, Any]:
    """The members every kind of interaction shares, as keyword arguments of the model."""
    node.object("an interaction (an object)")
    description = node.required("description", "a description of the interaction")
    common: dict[str, Any] = {
        "description": description.string("a description of the interaction (a string)"),
        "provider_states": _provider_states(node),
    }
    key = node.optional("key")
    if key is not None:
        common["key"] = key.string("the interaction's key (a string)")
    pending = node.optional("pending")
    if pending is not None:
        common["pending"] = pending.boolean()
    comments = node.optional("comments")
    if comments is not None:
        common["comments"] = dict(comments.object("an object of comments"))
    broker_id = node.optional("_id")
    if broker_id is not None:
        common["broker_id"] = broker_id.string("the broker's interaction id (a string)")
    obj = node.object()
    extensions = {name: obj[name] for name in _V4_EXTENSIONS if name in obj}
    if extensions:
        common["extensions"] = extensions
    return common


def _provider_states(node: JsonNode) -> tuple[ProviderState, ...]:
    states = node.optional("providerStates")
    if states is not None:
        return tuple(_provider_state(s) for s in states.elements("an array of provider states"))
    for legacy_key in ("providerState", "provider_state"):
        legacy = node.optional(legacy_key)
        if legacy is not None:
            name = legacy.string("the name of a provider state (a string)")
            return (ProviderState(name),) if name else ()
    return ()


def _provider_state(node: JsonNode) -> ProviderState:
    expected = 'a provider state like {"name": "...", "params": {...}}'
    node.object(expected)
    name = node.required("name", "the provider state's name").string("a provider state name")
    params = node.optional("params")
    return ProviderState(name, dict(params.object("an object of parameters")) if params else {})


# --- the parts ------------------------------------------------------------------------------

BodyReader = Callable[[JsonNode | None, str | None], Body]


def _body_reader(spec: SpecVersion) -> BodyReader:
    return read_v4_body if spec == "V4" else read_legacy_body


def _rules_and_generators(node: JsonNode, spec: SpecVersion) -> dict[str, Any]:
    rules = node.present("matchingRules")
    generators = node.present("generators")
    source = node.source
    return {
        "matching_rules": (
            parse_matching_rules(rules.value, spec=spec, source=source, path=rules.path)
            if rules
            else {}
        ),
        "generators": (
            parse_generators(generators.value, source=source, path=generators.path)
            if generators
            else {}
        ),
    }


def _request(node: JsonNode, spec: SpecVersion) -> HttpRequest:
    node.object("a request: an object with method, path, query, headers and body")
    method = node.optional("method")
    path = node.optional("path")
    headers = read_headers(node.optional("headers"))
    return HttpRequest(
        method=method.string("an HTTP method such as GET") if method else "GET",
        path=path.string("a request path such as /users/1") if path else "/",
        query=read_query(node.optional("query")),
        headers=headers,
        body=_body_reader(spec)(node.present("body"), header_value(headers, "Content-Type")),
        **_rules_and_generators(node, spec),
    )


def _response(node: JsonNode, spec: SpecVersion) -> HttpResponse:
    node.object("a response: an object with status, headers and body")
    status = node.optional("status")
    headers = read_headers(node.optional("headers"))
    return HttpResponse(
        status=status.integer("an HTTP status code (an integer)") if status else 200,
        headers=headers,
        body=_body_reader(spec)(node.present("body"), header_value(headers, "Content-Type")),
        **_rules_and_generators(node, spec),
    )


def _message_contents(node: JsonNode, spec: SpecVersion) -> MessageContents:
    """Contents, metadata, rules and generators of a V3 message or a V4 message part."""
    node.object("a message: an object with contents and metadata")
    metadata_node = node.optional("metadata") or node.optional("metaData")
    metadata = dict(metadata_node.object("an object of message metadata")) if metadata_node else {}
    declared = metadata.get("contentType", metadata.get("content-type"))
    content_type = declared if isinstance(declared, str) else None
    return MessageContents(
        contents=_body_reader(spec)(node.present("contents"), content_type),
        metadata=metadata,
        **_rules_and_generators(node, spec),
    )


# --- the kinds of interaction ---------------------------------------------------------------


def _read_http(node: JsonNode, spec: SpecVersion) -> SynchronousHttp:
    common = _common(node)
    return SynchronousHttp(
        **common,
        request=_request(node.required("request", "the request"), spec),
        response=_response(node.required("response", "the response"), spec),
    )


def _read_v3_message(node: JsonNode, spec: SpecVersion) -> AsynchronousMessage:
    return AsynchronousMessage(**_common(node), message=_message_contents(node, spec))


def _read_sync_messages(node: JsonNode, spec: SpecVersion) -> SynchronousMessages:
    common = _common(node)
    request = _message_contents(node.required("request", "the request message"), spec)
    responses = node.optional("response")
    expected = "an array of response messages"
    return SynchronousMessages(
        **common,
        request=request,
        response=tuple(_message_contents(r, spec) for r in responses.elements(expected))
        if responses
        else (),
    )


def _read_v4_interaction(node: JsonNode) -> AnyInteraction | None:
    """A V4 interaction by its ``type``; an unknown type is skipped with a warning, as the V4
    specification asks (plugins add kinds accord cannot verify)."""
    node.object("an interaction (an object)")
    type_node = node.optional("type")
    if type_node is None:
        kind = ASYNC_MESSAGE_TYPE if node.has("contents") else HTTP_TYPE
    else:
        kind = type_node.string(f'an interaction type: "{HTTP_TYPE}", "{ASYNC_MESSAGE_TYPE}" …')
    if kind == HTTP_TYPE:
        return _read_http(node, "V4")
    if kind == ASYNC_MESSAGE_TYPE:
        return _read_v3_message(node, "V4")
    if kind == SYNC_MESSAGE_TYPE:
        return _read_sync_messages(node, "V4")
    import logging  # here: pacts without unknown interaction types never load it (~3 ms)

    logging.getLogger(__name__).warning(
        "%s: %s: skipping an interaction of unknown type %r", node.source, node.path, kind
    )
    return None
