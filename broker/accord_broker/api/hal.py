"""HAL+JSON: the response class; links, URL shapes and timestamps come from ``web.links``."""

from typing import Any

from fastapi.responses import JSONResponse

from accord_broker.api.json_body import encode
from accord_broker.web.links import Urls, link, segment, timestamp

__all__ = ["HAL_JSON", "HalResponse", "Urls", "header_text", "link", "segment", "timestamp"]

HAL_JSON = "application/hal+json;charset=utf-8"


class HalResponse(JSONResponse):
    media_type = HAL_JSON

    def render(self, content: Any) -> bytes:
        return encode(content)


def header_text(value: str) -> str:
    """``value`` as a header value that reads back identically as UTF-8, whatever it holds.

    Starlette writes header values as Latin-1, so a version number such as ``1.0-é😀`` raised
    on the way out (a 500 for a pact that had been accepted). The Pact Broker (Rack) sends the
    UTF-8 bytes, so this does too: a client that decodes the header as UTF-8 gets the number
    back. A control character (which names no longer accept) is sent as ``%XX``.
    """
    escaped = "".join(f"%{ord(c):02X}" if ord(c) < 0x20 or c == "\x7f" else c for c in value)
    return escaped.encode("utf-8").decode("latin-1")
