"""Browsers get the UI and API clients get HAL at the same URLs, chosen by the Accept header.

The Pact Broker splits its traffic this way (``Rack::PactBroker::RequestTarget``, broker.md §0):
a request goes to the API when its Accept header names an API media type, is missing, or is
``*/*``; anything else (a browser's ``text/html,…``) goes to the UI. This middleware applies
the rule to the few API paths that have a page (``/`` and the pact resources) by prefixing
them with the UI's mount point, so ``GET /`` stays HAL for every client that asks for JSON.
"""

import re

from starlette.types import ASGIApp, Receive, Scope, Send

UI_PREFIX = "/ui"
API_MEDIA_TYPES = (
    "application/hal+json",
    "application/problem+json",
    "application/json",
    "text/csv",
    "application/yaml",
    "text/plain",
)
_PAGES = re.compile(
    r"^/$|^/pacts/provider/[^/]+/consumer/[^/]+/(latest|version/[^/]+)/?$"
    r"|^/pacticipants/[^/]+/?$|^/matrix/provider/[^/]+/consumer/[^/]+/?$"
    r"|^/provider-contracts/provider/[^/]+/version/[^/]+/?$"
    r"|^/pacts/provider/[^/]+/consumer/[^/]+/pact-version/[^/]+(/metadata/[^/]+)?"
    r"/verification-results/[^/]+/?$"
)


def wants_html(accept: str | None) -> bool:
    """Would the Pact Broker send a request with this Accept header to its UI?"""
    if not accept:
        return False
    lowered = accept.lower()
    if any(media in lowered for media in API_MEDIA_TYPES):
        return False
    return "text/html" in lowered


class BrowserRoutingMiddleware:
    """Route a browser's ``GET`` of an API resource that has a page to that page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path = scope["path"]
            if _PAGES.match(path):
                accept = next(
                    (v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"accept"),
                    None,
                )
                if wants_html(accept):
                    page = UI_PREFIX + ("" if path == "/" else path.rstrip("/"))
                    scope = {**scope, "path": page, "raw_path": page.encode("latin-1")}
        await self.app(scope, receive, send)
