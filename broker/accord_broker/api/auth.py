"""HTTP Basic authentication with a read-write and a read-only user (research broker.md §4).

Reads are GET/HEAD/OPTIONS plus the pacts-for-verification POST (verifiers often hold read-only
credentials). The heartbeat is always public. Anonymous requests get 401 with a ``Basic``
challenge (pact-jvm only sends credentials after one); read-only users get 403 on writes.
``Authorization: Bearer <token>`` is checked against the API tokens
(``domain/operations/tokens.py``): a ``read`` token acts as the read-only user, a ``write``
token as the read-write user. With ``enable_public_badge_access`` the badge paths are public,
as in the Pact Broker.
"""

import base64
import binascii
import hmac
import json
import re
from collections.abc import Callable

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from accord_broker.api.badges import BADGE_PATH
from accord_broker.errors import DatabaseUnavailableError, StatementTimeoutError
from accord_broker.settings import Settings

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
PUBLIC_PATHS = {"/diagnostic/status/heartbeat", "/diagnostic/status/dependencies"}
_FOR_VERIFICATION = re.compile(r"^/pacts/provider/[^/]+/for-verification/?$")


def is_read(method: str, path: str) -> bool:
    return method in READ_METHODS or (method == "POST" and bool(_FOR_VERIFICATION.match(path)))


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())


class BasicAuthMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        tokens: Callable[[str], str | None] | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.tokens = tokens
        """The scope of a presented bearer token (``None``: not a valid token)."""

    async def _bearer_role(self, header: str | None) -> str | None:
        if self.tokens is None or not header or not header.lower().startswith("bearer "):
            return None
        return await anyio.to_thread.run_sync(self.tokens, header[7:].strip())

    def _role(self, header: str | None) -> str | None:
        """``"write"``, ``"read"`` or ``None`` for the credentials in an Authorization header."""
        if not header or not header.lower().startswith("basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        s = self.settings
        write_password = s.basic_auth_password.get_secret_value() if s.basic_auth_password else None
        if (
            s.basic_auth_username
            and _same(user, s.basic_auth_username)
            and _same(password, write_password)
        ):
            return "write"
        ro = s.basic_auth_read_only_password
        read_password = ro.get_secret_value() if ro else None
        if (
            s.basic_auth_read_only_username
            and _same(user, s.basic_auth_read_only_username)
            and _same(password, read_password)
        ):
            return "read"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.settings.auth_enabled:
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if path in PUBLIC_PATHS or (
            self.settings.enable_public_badge_access
            and method in READ_METHODS
            and BADGE_PATH.match(path)
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            role = self._role(headers.get("authorization")) or await self._bearer_role(
                headers.get("authorization")
            )
        except (DatabaseUnavailableError, StatementTimeoutError) as exc:
            # a token is looked up in the database: when it is away, say so (503), not 500
            await _deny(send, 503, f"The API token could not be checked: {exc}")
            return
        reading = is_read(method, path)
        # the UI offers write actions ("test now" on a webhook) only to whom may use them
        scope.setdefault("state", {})["role"] = role
        if role == "write" or (role == "read" and reading):
            await self.app(scope, receive, send)
            return
        if role is None and reading and self.settings.allow_public_read:
            await self.app(scope, receive, send)
            return
        if role == "read":
            await _deny(
                send,
                403,
                "the read-only user (or read token) may not change anything; "
                "use the read-write user or a write token",
            )
            return
        await _deny(send, 401, "authentication required: send HTTP Basic credentials")


async def _deny(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message, "errors": [message]}).encode()
    headers = [
        (b"content-type", b"application/json;charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b'Basic realm="accord broker"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
