"""HAL bodies of long lists, encoded item by item (issue #20, the whole lists).

An unpaged list of versions is thousands of bodies of ~40 dicts and lists each. Built as one
tree and encoded at the end, every one of those containers lives until the response is
written, so the garbage collector's full passes (which walk every live container) run over
them again and again, and a list ten times longer cost fifteen times as much. Encoding each
item as soon as it is rendered frees its containers at once; what stays alive is its bytes.
The bytes are exactly those ``HalResponse`` writes for the same body (same encoder settings,
same key order), so clients see no difference.
"""

from collections.abc import Iterable
from typing import Any

from fastapi import Response

from accord_broker.api.hal import HAL_JSON
from accord_broker.api.json_body import encode

__all__ = ["EncodedHalResponse", "embedded_list_body", "encode"]


def embedded_list_body(key: str, items: Iterable[bytes], rest: dict[str, Any]) -> bytes:
    """``{"_embedded": {key: [items…]}, **rest}`` from items already encoded with :func:`encode`.

    ``rest`` holds the body's other members (``_links`` at least), in the order they follow.
    """
    if not rest:
        raise ValueError("a HAL list body has _links after _embedded")
    head = b'{"_embedded":{' + encode(key) + b":["
    return head + b",".join(items) + b"]}," + encode(rest)[1:]


class EncodedHalResponse(Response):
    """A HAL body that is already bytes (see :func:`embedded_list_body`)."""

    media_type = HAL_JSON
