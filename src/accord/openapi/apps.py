"""The OpenAPI document of a Python web app, named as ``module:attribute`` (FastAPI's form).

A FastAPI provider's document is generated from its code, so publishing ``app.openapi()``
publishes exactly what the app serves, with no file to keep in step. This module imports the
named module (from the current directory first, as ``uvicorn module:app`` does) and asks the
app for its document; it is the one place in ``accord.openapi`` that runs user code, and it is
imported only by ``accord openapi publish --app``.
"""

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from accord.errors import OpenApiError

_FORM_HINT = "name the app as module:attribute, e.g. --app providers.accounts.app:app"


def _split(target: str) -> tuple[str, str]:
    module, sep, attribute = target.partition(":")
    if not sep or not module.strip() or not attribute.strip():
        raise OpenApiError(target, "", "is not of the form module:attribute", _FORM_HINT)
    return module.strip(), attribute.strip()


def _import(module_name: str, target: str, search_path: Path) -> Any:
    if str(search_path) not in sys.path:
        sys.path.insert(0, str(search_path))
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        raise OpenApiError(
            target,
            "",
            f"module {module_name!r} cannot be imported ({exc})",
            f"run from the directory that contains it (now {search_path}) or fix the name; "
            + _FORM_HINT,
        ) from exc


def app_openapi(target: str, *, search_path: Path | None = None) -> dict[str, Any]:
    """``app.openapi()`` of the app ``target`` names (``module:attribute``, the attribute may be
    dotted), importing the module from ``search_path`` (default: the current directory)."""
    module_name, attribute = _split(target)
    found: Any = _import(module_name, target, search_path or Path.cwd())
    for part in attribute.split("."):
        if not hasattr(found, part):
            raise OpenApiError(
                target, "", f"module {module_name!r} has no attribute {attribute!r}", _FORM_HINT
            )
        found = getattr(found, part)
    generate = getattr(found, "openapi", None)
    if not callable(generate):
        raise OpenApiError(
            target,
            "",
            f"{attribute!r} is a {type(found).__name__}, not an app with an openapi() method",
            "give a FastAPI app (or any object whose openapi() returns the document), or "
            "publish a document file instead",
        )
    document = generate()
    if not isinstance(document, dict):
        raise OpenApiError(
            target,
            "",
            f"openapi() returned a {type(document).__name__}, not a document",
            "return the OpenAPI document as a dict, as FastAPI does",
        )
    return document


def app_openapi_text(target: str, *, search_path: Path | None = None) -> str:
    """The app's document as indented JSON text, ready to publish."""
    return json.dumps(app_openapi(target, search_path=search_path), indent=2) + "\n"
