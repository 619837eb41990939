"""Response bodies as JSON bytes: orjson for speed, the standard library for what orjson
cannot hold.

A matrix page or a page of versions is 200 KB of JSON; the standard encoder spent ~2 ms on
each (a sixth of the request), orjson a tenth of that. Both write the same document: UTF-8
text, no spaces, keys in insertion order, nothing escaped that need not be. They differ only
where JSON itself allows it (``1e+16`` against ``1e16`` for a float's exponent). orjson refuses
integers beyond 64 bits and non-string keys, which a pact's own content may hold; those bodies
go through the standard encoder, with Starlette's settings, exactly as before. NaN and
Infinity never reach a body: the broker refuses them when they are sent (issue #20).
"""

import json
from typing import Any

import orjson

_STANDARD = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), check_circular=False
)
"""Starlette's ``JSONResponse`` settings, without the cycle check (bodies are trees built fresh
by the renderers; a cycle would still fail, as a ``RecursionError``, not loop)."""


def encode(value: Any) -> bytes:
    """``value`` as the body of a JSON or HAL response."""
    try:
        return orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):
        return _STANDARD.encode(value).encode("utf-8")
