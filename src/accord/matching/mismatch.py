"""What a failed comparison reports: one :class:`Mismatch` per difference found."""

import json
from dataclasses import dataclass
from typing import Any, Literal

MismatchKind = Literal[
    "method", "path", "query", "header", "status", "body", "body-type", "metadata"
]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One difference between what the pact expects and what was seen.

    ``path`` locates it (``$.body.items[2].id``, ``$.headers.Content-Type``, ``$.query.page``,
    ``$.metadata.contentType``); ``message`` is the one line a user reads when verification fails.
    """

    kind: MismatchKind
    path: str
    expected: Any
    actual: Any
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def show(value: object, limit: int = 60) -> str:
    """A short, JSON-looking rendering of a value for messages (``'abc'``, ``42``, ``null``)."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bytes):
        text = f"<{len(value)} bytes>"
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text
