"""What makes the broker safe to put in front of browsers: response headers, the content-type
guard against cross-site requests, and CORS only when configured.

- **Headers.** Every response gets ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``
  and a ``Referrer-Policy``; every response without a policy of its own gets the strict
  ``Content-Security-Policy`` of :data:`PAGE_POLICY` (scripts and styles from the broker only,
  nothing inline, no framing). A route that needs another policy (the API docs) sets its own.
- **Cross-site requests.** A browser lets any site send a "simple" cross-site request — a form
  post (``application/x-www-form-urlencoded``, ``multipart/form-data``, ``text/plain``) or a
  body-less ``POST`` — with the user's cached basic-auth credentials, and without asking the
  broker first. Requiring a JSON content type on every ``POST``/``PUT``/``PATCH`` (empty bodies
  included) turns each of those into a request the browser must preflight, which the broker
  does not permit. A ``DELETE`` always needs a preflight, so one without a body and without a
  content type (what the official clients send) is accepted; with a content type it must be
  JSON too.
- **CORS.** No cross-origin permission is ever given unless ``ACCORD_BROKER_CORS_ALLOWED_ORIGINS``
  names the origins.
"""

import json

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord_broker.settings import Settings

JSON_MEDIA_TYPES = frozenset(
    {"application/json", "application/hal+json", "application/merge-patch+json"}
)
"""The content types a state-changing request may carry (what the official clients send)."""

GUARDED_METHODS = frozenset({"POST", "PUT", "PATCH"})
"""Methods that must carry a JSON content type, with or without a body."""

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
"""The Content-Security-Policy of every page (and every other response): the broker's own
scripts, styles and images only, nothing inline, never in a frame."""

BASE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response that does not already set them."""

    def __init__(self, app: ASGIApp, policy: str = PAGE_POLICY) -> None:
        self.app = app
        self.headers = (*BASE_HEADERS, (b"content-security-policy", policy.encode("latin-1")))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def media_type(content_type: str | None) -> str | None:
    """``application/json`` for ``Application/JSON; charset=utf-8``; ``None`` when absent."""
    if content_type is None:
        return None
    return content_type.split(";", 1)[0].strip().lower()


def content_type_refusal(method: str, content_type: str | None) -> str | None:
    """Why a ``method`` request with this ``Content-Type`` is refused (``None``: it is not)."""
    method = method.upper()
    given = media_type(content_type)
    if method in GUARDED_METHODS and given is None:
        return (
            f"a {method} request must have a JSON Content-Type (application/json), "
            "even when its body is empty"
        )
    if method in GUARDED_METHODS | {"DELETE"} and given not in (None, *JSON_MEDIA_TYPES):
        return (
            f"Content-Type {given!r} is not accepted on {method}: send application/json "
            "(application/merge-patch+json for PATCH)"
        )
    return None


class ContentTypeGuardMiddleware:
    """Answer 415 to a state-changing request without a JSON content type, before any route
    reads its body (so an empty cross-site form post can never be taken as ``{}``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            content_type = next(
                (v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"content-type"),
                None,
            )
            reason = content_type_refusal(scope["method"], content_type)
            if reason is not None:
                await _refuse(send, reason)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, reason: str) -> None:
    body = json.dumps({"error": reason, "errors": {"Content-Type": [reason]}}).encode()
    headers = [
        (b"content-type", b"application/json;charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 415, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def install_security(app: Starlette, settings: Settings) -> None:
    """Wrap ``app`` (call last in ``create_app``, so these are the outermost layers): the
    content-type guard, CORS when origins are configured, and the security headers around
    everything (so 401, 413 and 415 answers carry them too)."""
    app.add_middleware(ContentTypeGuardMiddleware)
    if settings.cors_allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_allowed_origins),
            allow_credentials=True,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Accept", "Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeadersMiddleware)
