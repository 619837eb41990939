"""What was really sent or received, as the matching engine takes it.

The expected side of a comparison is the pact model itself (``accord.pact.HttpRequest``,
``HttpResponse``, ``MessageContents``). The actual side is one of these small values: a request
as a consumer sent it, a response as a provider returned it, a message as a producer made it.
Bodies stay as the bytes seen on the wire (a produced message may also be text or a JSON value),
so nobody has to guess in advance how the engine will read them: it reads them by their content
type, the same way for the verifier, the stub and any other caller.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: header name -> one value, or the values in the order they came
HeaderValues = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True, slots=True)
class ActualRequest:
    """A request as it was sent: ``path`` percent-decoded, ``query`` as name -> values in
    order (``None`` for a bare ``?flag``), ``body`` the bytes sent (``None``: no body)."""

    method: str
    path: str
    query: Mapping[str, Sequence[str | None]] = field(default_factory=dict)
    headers: HeaderValues = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class ActualResponse:
    """A response as it was received; an empty or ``None`` ``body`` means none was sent."""

    status: int
    headers: HeaderValues = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class ActualMessage:
    """A message as a producer made it.

    ``contents`` is bytes, text or a JSON value (a dict, a list, ...); ``content_type`` says how
    to read bytes and text (the metadata's ``contentType`` is used when it is not given).
    """

    contents: Any
    metadata: Mapping[str, Any] = field(default_factory=dict)
    content_type: str | None = None
