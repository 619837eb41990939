"""Where the provider's messages come from: Python producer functions or an HTTP endpoint.

A producer is a function per message description. It gets the provider-state params (and, for a
synchronous message, the request message's contents) and returns what it would publish:
``{"contents": ..., "metadata": {...}, "content_type": "..."}``, a :class:`Message`, or just
the contents (a ``dict``/``list`` is JSON, ``str`` text, ``bytes`` binary).

Over HTTP the Pact ecosystem's convention is used: ``POST {"description", "providerStates"}``
to the provider; the answer's body is the contents, its ``Content-Type`` the content type, and
its ``Pact-Message-Metadata`` header the metadata (Base64 of a JSON object).
"""

import base64
import inspect
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.errors import AccordError, MessageProducerError
from accord.matching import ActualMessage
from accord.pact import ProviderState
from accord.pact.bodies import is_json_type
from accord.verifier.replay import body_to_plain
from accord.verifier.transport import ReplayRequest, Transport, TransportError


@dataclass(frozen=True, slots=True)
class Message:
    """A message as the provider would publish it."""

    contents: Any
    metadata: Mapping[str, Any] = field(default_factory=dict)
    content_type: str | None = None


Producer = Callable[..., Any]


def _arity(function: Callable[..., Any]) -> int:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return 1
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return 2
    return len(positional)


class MessageProducers:
    """A registry of producer functions, keyed by message description."""

    def __init__(self, producers: Mapping[str, Producer | Message | Any] | None = None) -> None:
        self._producers: dict[str, Producer | Message | Any] = dict(producers or {})

    def __call__(self, description: str) -> Callable[[Producer], Producer]:
        """Decorator: ``@messages("a transfer-completed event")``."""

        def register(function: Producer) -> Producer:
            self._producers[description] = function
            return function

        return register

    def add(self, description: str, producer: "Producer | Message | Any") -> None:
        """Register a producer function, or a fixed message (or list of response messages)."""
        self._producers[description] = producer

    def __contains__(self, description: object) -> bool:
        return description in self._producers

    def __bool__(self) -> bool:
        return bool(self._producers)

    def update(self, other: "MessageProducers | Mapping[str, Producer | Message | Any]") -> None:
        self._producers.update(other._producers if isinstance(other, MessageProducers) else other)

    def descriptions(self) -> list[str]:
        """The message descriptions that have a producer, sorted."""
        return sorted(self._producers)

    def produce(
        self, description: str, params: Mapping[str, Any], request: Any = None
    ) -> Message | list[Message]:
        if description not in self._producers:
            known = ", ".join(repr(name) for name in self.descriptions()) or "none"
            raise MessageProducerError(
                f"no producer for message {description!r} (known: {known}); register one with "
                f"@message_producer({description!r})"
            )
        producer = self._producers[description]
        if not callable(producer):
            return _normalise(producer, description)
        try:
            arity = _arity(producer)
            if arity == 0:
                value = producer()
            elif arity == 1:
                value = producer(dict(params)) if request is None else producer(request)
            else:
                value = producer(request, dict(params))
        except AccordError:
            raise
        except Exception as exc:
            raise MessageProducerError(
                f"the producer of message {description!r} raised {type(exc).__name__}: {exc}"
            ) from exc
        return _normalise(value, description)


def _normalise(value: Any, description: str) -> Message | list[Message]:
    """One message, or the list of response messages a synchronous message answers with."""
    if isinstance(value, list) and value and all(isinstance(v, Message) for v in value):
        return value
    return as_message(value, description)


default_producers = MessageProducers()


def message_producer(description: str) -> Callable[[Producer], Producer]:
    """Register a producer in the default registry: ``@message_producer("an event")``."""
    return default_producers(description)


def as_message(value: Any, description: str) -> Message:
    if isinstance(value, Message):
        return value
    if isinstance(value, Mapping) and "contents" in value:
        extra = set(value) - {"contents", "metadata", "content_type", "contentType"}
        if extra:
            raise MessageProducerError(
                f"the producer of message {description!r} returned unknown keys {sorted(extra)}; "
                "use 'contents', 'metadata' and 'content_type'"
            )
        return Message(
            value["contents"],
            dict(value.get("metadata") or {}),
            value.get("content_type") or value.get("contentType"),
        )
    return Message(value)


def _content_type_of(message: Message) -> str:
    if message.content_type:
        return message.content_type
    for key in ("contentType", "content-type", "Content-Type"):
        if isinstance(message.metadata.get(key), str):
            return str(message.metadata[key])
    if isinstance(message.contents, bytes):
        return "application/octet-stream"
    if isinstance(message.contents, str):
        return "text/plain"
    return "application/json"


def message_to_actual(message: Message) -> ActualMessage:
    """A produced message as the matching engine takes it: its content type settled (given,
    from the metadata, or from the kind of contents) and named in the metadata when the
    producer did not name it there."""
    content_type = _content_type_of(message)
    metadata = dict(message.metadata)
    if not any(key.lower() in ("contenttype", "content-type") for key in metadata):
        metadata["contentType"] = content_type
    return ActualMessage(message.contents, metadata, content_type)


def plain_contents(message: ActualMessage) -> Any:
    """The contents as a pact carries them (a JSON value, text, Base64 for binary), for the
    body diff a report shows; ``""`` for no contents."""
    contents = message.contents
    if isinstance(contents, bytes):
        return body_to_plain(contents, message.content_type) if contents else ""
    if isinstance(contents, str) and is_json_type(message.content_type):
        return body_to_plain(contents.encode("utf-8"), message.content_type)
    return contents


def fetch_message_over_http(
    transport: Transport,
    description: str,
    states: Sequence[ProviderState],
    request: Mapping[str, Any] | None = None,
    *,
    registered: Sequence[str] = (),
) -> Message:
    """Ask the provider's message endpoint for the message with ``description``.

    This is the fallback for a message without an in-process producer; ``registered`` names
    the producers there are, so a 404 (usually: no such endpoint) can say what was missing.
    """
    payload: dict[str, Any] = {
        "description": description,
        "providerStates": [{"name": s.name, "params": dict(s.params)} for s in states],
    }
    if request is not None:
        payload["request"] = dict(request)
    answer = transport.send(
        ReplayRequest(
            "POST",
            "",
            headers={"Content-Type": "application/json", "Accept": "*/*"},
            body=json.dumps(payload).encode("utf-8"),
        )
    )
    if answer.status == 404:
        raise MessageProducerError(_endpoint_not_found(description, registered))
    if answer.status >= 400:
        raise TransportError(
            f"the message endpoint answered HTTP {answer.status} for {description!r}: "
            f"{answer.body[:300].decode('utf-8', 'replace')}"
        )
    metadata: dict[str, Any] = {}
    content_type = None
    for name, value in answer.headers.items():
        lowered = name.lower()
        if lowered == "pact-message-metadata":
            try:
                decoded = json.loads(base64.b64decode(value))
            except ValueError as exc:
                raise TransportError(
                    f"the Pact-Message-Metadata header for {description!r} is not Base64 JSON"
                ) from exc
            if isinstance(decoded, Mapping):
                metadata.update(decoded)
        elif lowered == "content-type":
            content_type = value
    return Message(answer.body, metadata, content_type)


def _endpoint_not_found(description: str, registered: Sequence[str]) -> str:
    known = ", ".join(repr(name) for name in registered) or "none"
    return (
        f"no in-process producer is registered for message {description!r} "
        f"(registered: {known}), so it was asked of the provider's message endpoint "
        "(POST {description, providerStates} to the provider URL/app), which answered HTTP 404. "
        f"Register a producer with @message_producer({description!r}) from accord.verifier, "
        f"or pass message_producers={{{description!r}: function}} (in pytest, through the "
        "accord_options fixture); or serve the message at the provider's message endpoint"
    )
