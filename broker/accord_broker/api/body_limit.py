"""Refuse bodies over the configured limit from their ``Content-Length``, before reading them.

Chunked bodies without a length are counted while read (``bodies.json_object``).
"""

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from accord_broker.api.bodies import too_large


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for key, value in scope["headers"]:
                if key.lower() == b"content-length" and value.isdigit() and int(value) > self.limit:
                    error = too_large(self.limit)
                    body = json.dumps({"error": error.message, "errors": error.errors}).encode()
                    headers = [
                        (b"content-type", b"application/json;charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close"),
                    ]
                    await send({"type": "http.response.start", "status": 413, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)
