"""``/hal-browser``: click through every resource of the API, in the browser, offline.

The page is server-rendered like the rest of the UI; ``static/hal-browser.js`` (served here,
never from a CDN, and never inline: the strict Content-Security-Policy forbids both) fetches a
resource with ``Accept: application/hal+json`` and shows its properties, its ``_links`` (a small
form fills a templated link's variables) and its ``_embedded`` resources. The page gives the
script the public base URL, so links keep working behind a proxy that adds a path prefix; the
resource shown is kept in the URL's fragment (``/hal-browser#/pacticipants``), so it can be
bookmarked and the back button works.
"""

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from accord_broker.ui.negotiation import UI_PREFIX
from accord_broker.ui.templating import TEMPLATES, render
from accord_broker.web.context import urls_for

BROWSER_PATH = "/hal-browser"
SCRIPT_NAME = "hal-browser.js"
SCRIPT = (TEMPLATES.parent / "static" / SCRIPT_NAME).read_text(encoding="utf-8")

router = APIRouter(include_in_schema=False)


@router.get(BROWSER_PATH)
def hal_browser(request: Request) -> HTMLResponse:
    """The browser's page; which resource it shows is in the fragment, read by the script."""
    base = urls_for(request).base
    html = render(
        "hal_browser.html",
        title="HAL browser",
        base=base,
        ui=base + UI_PREFIX,
        now=datetime.now(UTC),
        script=f"{base}{BROWSER_PATH}/{SCRIPT_NAME}",
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


@router.get(f"{BROWSER_PATH}/{SCRIPT_NAME}")
def hal_browser_script() -> Response:
    """The browser's script, allowed by the page policy's ``script-src 'self'``."""
    return Response(
        SCRIPT,
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )
