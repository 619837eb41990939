"""``/api-docs``: Swagger UI over the broker's OpenAPI document, every file served by the broker.

FastAPI's built-in docs page loads Swagger UI from a CDN (without integrity) and starts it with
an inline script, which a strict Content-Security-Policy forbids. This page instead serves the
Swagger UI files shipped by the ``swagger-ui-py`` package (found without importing it) and
starts them with ``static/api-docs.js``. Without that package the page still answers, with a
link to the OpenAPI document.
"""

import importlib.util
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from accord_broker.ui.templating import TEMPLATES, render
from accord_broker.web.context import urls_for

DOCS_PATH = "/api-docs"
API_DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
"""Swagger UI's policy: its scripts and styles from the broker only, its inline SVG icons as
``data:`` images, requests ("Try it out") to the broker only."""

_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
_OWN_SCRIPT = TEMPLATES.parent / "static" / "api-docs.js"

router = APIRouter(include_in_schema=False)


def swagger_ui_directory() -> Path | None:
    """Where ``swagger-ui-py`` keeps Swagger UI's files, or ``None`` when it is not installed."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        return None
    static = Path(next(iter(spec.submodule_search_locations))) / "static"
    return static if all((static / name).is_file() for name in _ASSETS) else None


@lru_cache(maxsize=4)
def _asset(name: str) -> bytes | None:
    if name == _OWN_SCRIPT.name:
        return _OWN_SCRIPT.read_bytes()
    directory = swagger_ui_directory()
    return (directory / name).read_bytes() if directory is not None else None


@router.get(DOCS_PATH)
def api_docs(request: Request) -> HTMLResponse:
    base = urls_for(request).base
    html = render(
        "api_docs.html",
        base=base,
        bundled=swagger_ui_directory() is not None,
        docs=base + DOCS_PATH,
        openapi=base + str(request.app.openapi_url or "/openapi.json"),
    )
    headers = {"Content-Security-Policy": API_DOCS_POLICY, "Cache-Control": "no-cache"}
    return HTMLResponse(html, headers=headers)


@router.get(DOCS_PATH + "/{name}")
def api_docs_asset(name: str) -> Response:
    media_type = "text/javascript; charset=utf-8" if name == _OWN_SCRIPT.name else None
    media_type = media_type or _ASSETS.get(name)
    content = _asset(name) if media_type is not None else None
    if content is None:
        raise HTTPException(status_code=404)
    return Response(
        content, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"}
    )
