"""Which operation of the document serves a pact request: base paths, templates, method.

OpenAPI matches concrete paths before templated ones (``/users/me`` before ``/users/{id}``);
so does this module. A template segment such as ``{id}`` or ``{name}.json`` matches one path
segment; the values found are checked against the parameters' schemas by the caller.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from accord.openapi.document import OpenApiDocument, Operation

_PARAM = re.compile(r"\{([^}/]+)\}")


@dataclass(frozen=True, slots=True)
class OperationMatch:
    """The operation found and the path parameters' raw (decoded) values."""

    operation: Operation
    path_values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NoOperation:
    """Why no operation serves the request: no path fits, or the path has other methods."""

    path: str
    methods: tuple[str, ...] = ()


@lru_cache(maxsize=1024)
def _template_regex(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    names: list[str] = []
    pattern = ""
    position = 0
    for found in _PARAM.finditer(template):
        pattern += re.escape(template[position : found.start()]) + "([^/]+)"
        names.append(found.group(1))
        position = found.end()
    pattern += re.escape(template[position:])
    return re.compile(f"{pattern}/?"), tuple(names)


def _relative_paths(document: OpenApiDocument, path: str) -> list[str]:
    """The request path with each server base path removed (only bases it starts with)."""
    found = []
    for base in document.base_paths:
        if base and not (path == base or path.startswith(base + "/")):
            continue
        rest = path[len(base) :] or "/"
        if rest not in found:
            found.append(rest)
    return found


def find_operations(
    document: OpenApiDocument, method: str, path: str
) -> tuple[list[OperationMatch], NoOperation | None]:
    """Candidate operations for ``method path``, most concrete first; or why there are none."""
    method = method.lower()
    matches: list[tuple[int, OperationMatch]] = []
    other_methods: list[str] = []
    matched_path = ""
    for relative in _relative_paths(document, path):
        for operation in document.operations:
            regex, names = _template_regex(operation.path)
            found = regex.fullmatch(relative)
            if found is None:
                continue
            matched_path = operation.path
            if operation.method != method:
                other_methods.append(operation.method.upper())
                continue
            values = {name: unquote(v) for name, v in zip(names, found.groups(), strict=True)}
            matches.append((len(names), OperationMatch(operation, values)))
    if matches:
        matches.sort(key=lambda item: item[0])
        return [m for _, m in matches], None
    return [], NoOperation(matched_path, tuple(dict.fromkeys(other_methods)))
