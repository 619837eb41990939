"""Server-rendered pages (Jinja2, no script build): integrations, pacts, matrix, pacticipants,
and the network diagram. ``router`` mounts them under ``/ui``; ``BrowserRoutingMiddleware``
serves them to browsers at the API URLs too, as the Pact Broker does.
"""

from accord_broker.ui.api_docs import router as api_docs_router
from accord_broker.ui.negotiation import UI_PREFIX, BrowserRoutingMiddleware, wants_html
from accord_broker.ui.pages import router as pages_router
from accord_broker.ui.routes import router

__all__ = [
    "UI_PREFIX",
    "BrowserRoutingMiddleware",
    "api_docs_router",
    "pages_router",
    "router",
    "wants_html",
]
