"""Synchronous messages as a consumer receives them.

pact-python's ``Pact.verify(handler, "Sync")`` hands the handler the *request* of each
synchronous message only. A synchronous message consumer, though, sends that request and then
has to cope with what comes back, so its test needs the responses too. :func:`sync_messages`
reads each synchronous message of a pact, as the consumer would see it (generators applied,
metadata values decoded from JSON), through pact-python's public ``Pact.interactions("Sync")``;
:meth:`accord.consumer.contract.ConsumerPact.verify_sync` feeds them to the consumer's handler.

Importing this module does not load pact-python.
"""

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pact import Pact


class _MetadataPair(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def value(self) -> str: ...


class _RawContents(Protocol):
    """What pact-python's FFI layer gives for one message (``pact_ffi.MessageContents``)."""

    @property
    def contents(self) -> str | bytes | None: ...

    @property
    def metadata(self) -> Iterable[_MetadataPair]: ...


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """One message as the consumer receives it: its contents and its metadata."""

    contents: str | bytes | None
    metadata: Mapping[str, object] = field(default_factory=dict)

    @property
    def content_type(self) -> str | None:
        """The ``contentType`` metadata entry pact-python sets from the message body."""
        value = self.metadata.get("contentType")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class SyncMessage:
    """A synchronous message: the request the consumer sends and the responses it may get."""

    description: str
    request: ReceivedMessage
    responses: tuple[ReceivedMessage, ...] = ()


SyncMessageHandler = Callable[[SyncMessage], None]


def sync_messages(pact: "Pact") -> list[SyncMessage]:
    """Every synchronous message of ``pact``, with its generators applied."""
    return [
        SyncMessage(
            description=message.description,
            request=_received(message.request_contents),
            responses=tuple(_received(response) for response in message.response_contents),
        )
        for message in pact.interactions("Sync")
    ]


def _received(raw: _RawContents) -> ReceivedMessage:
    contents = raw.contents
    # pact-python hands out FFI-owned string subclasses; the consumer gets a plain value
    plain: str | bytes | None = str(contents) if isinstance(contents, str) else contents
    return ReceivedMessage(plain, decode_metadata(raw.metadata))


def decode_metadata(pairs: Iterable[_MetadataPair]) -> dict[str, object]:
    """Metadata values as JSON values where they parse, else as the strings they are.

    The FFI gives each value JSON-encoded (``100.5``, ``{"ID": "x"}``) except plain strings,
    which come as they are; pact-python's ``verify`` decodes them the same way.
    """
    decoded: dict[str, object] = {}
    for pair in pairs:
        try:
            decoded[pair.key] = json.loads(pair.value)
        except json.JSONDecodeError:
            decoded[pair.key] = pair.value
    return decoded
