"""What the ``accord openapi`` commands read: the OpenAPI stack, documents and pacts.

The OpenAPI stack (PyYAML, jsonschema, openapi-spec-validator) is imported only when a command
runs, never when this package is imported, so ``accord --help`` stays fast.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import OpenApiError

if TYPE_CHECKING:
    from accord.openapi import OpenApiDocument
    from accord.pact import Pact

INSTALL_HINT = "reinstall accord (`pip install --force-reinstall accord`): it depends on them"


def openapi_stack() -> Any:
    """Import :mod:`accord.openapi`, or say exactly what is missing and how to get it."""
    try:
        import accord.openapi as stack
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise OpenApiError(
            "accord",
            "",
            f"the OpenAPI libraries are not installed ({exc.name} is missing)",
            INSTALL_HINT,
        ) from exc
    return stack


def load_document(path: str) -> "OpenApiDocument":
    """The document at ``path``, its references to other local files followed."""
    document: OpenApiDocument = openapi_stack().load_openapi(path)
    return document


def load_pacts(paths: tuple[str, ...]) -> list["Pact"]:
    """Every pact file given, a directory standing for the ``*.json`` files in it."""
    from accord.errors import PactFormatError
    from accord.pact import load_pact

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    pacts = []
    for file in files:
        try:
            pacts.append(load_pact(file))
        except PactFormatError:
            raise
        except (OSError, ValueError) as exc:
            raise OpenApiError(
                str(file), "", f"is not a readable pact file ({exc})", "give a pact JSON file"
            ) from exc
    return pacts
