"""Route on the raw path, so that ``%2F`` inside a name stays inside its segment (trap 10).

ASGI servers decode ``%2F`` to ``/`` in ``scope["path"]`` before routing, which would split
``feat%2Fx`` into two segments. This middleware rebuilds ``scope["path"]`` from ``raw_path`` with
each segment decoded except for ``/`` and ``%`` (kept as ``%2F`` and ``%25``); the ``seg`` path
convertor then decodes those two, so handlers receive the real name.
"""

from typing import Any
from urllib.parse import unquote

from starlette.convertors import Convertor, register_url_convertor
from starlette.types import ASGIApp, Receive, Scope, Send


def _protect(segment: str) -> str:
    return unquote(segment).replace("%", "%25").replace("/", "%2F")


class RawPathMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path")
        if scope["type"] == "http" and raw:
            path = raw.decode("latin-1").split("?", 1)[0]
            scope = {**scope, "path": "/".join(_protect(part) for part in path.split("/"))}
        await self.app(scope, receive, send)


class SegmentConvertor(Convertor[str]):
    """``{name:seg}``: one path segment, with the ``%2F``/``%25`` kept by the middleware decoded."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return value.replace("%2F", "/").replace("%25", "%")

    def to_string(self, value: Any) -> str:
        return str(value).replace("%", "%25").replace("/", "%2F")


register_url_convertor("seg", SegmentConvertor())
