"""Reading an OpenAPI 3.0/3.1 document: parse, validate, resolve ``$ref``, list operations.

The document is validated with ``openapi-spec-validator`` before anything looks at it, so the
comparison never has to guess what a malformed document meant; every problem becomes an
:class:`~accord.errors.OpenApiError` with the file, the JSON pointer and how to fix it.
References are resolved with ``referencing`` (the library ``jsonschema`` itself uses), inside
the document: a document read from a file has its references to other local files bundled in
first (:mod:`~accord.openapi.file_refs`); a provider contract is published as one file, so
it must stand alone.
"""

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT202012

from accord.errors import OpenApiError
from accord.openapi.file_refs import bundle_file_refs, refuse_external_refs
from accord.openapi.yaml_text import parse_yaml

OpenApiVersion = Literal["3.0", "3.1"]

#: The URI the document is registered under, so schemas can ``$ref`` into it from outside.
DOCUMENT_URI = "urn:accord:openapi"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def escape_pointer(token: str) -> str:
    """One JSON-pointer token (RFC 6901): ``/users/{id}`` becomes ``~1users~1{id}``."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join(f"/{escape_pointer(str(t))}" for t in tokens)


@dataclass(frozen=True, slots=True)
class Parameter:
    """A path, query, header or cookie parameter of an operation, its ``$ref`` resolved."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any] | None
    pointer: str


@dataclass(frozen=True, slots=True)
class Operation:
    """One method of one path item, with the parameters of the path item merged in."""

    path: str
    method: str
    pointer: str
    node: Mapping[str, Any]
    parameters: tuple[Parameter, ...] = ()

    @property
    def label(self) -> str:
        """``GET /users/{id}``: how people name an operation."""
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True, slots=True)
class OpenApiDocument:
    """A validated OpenAPI document and what the comparison needs from it."""

    source: str
    version: OpenApiVersion
    data: Mapping[str, Any]
    base_paths: tuple[str, ...]
    operations: tuple[Operation, ...]
    registry: Registry[Any] = field(repr=False, compare=False, default_factory=Registry)

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref`` (repeatedly) from ``node`` at ``pointer``; returns the target and
        its pointer, so findings can name where a schema really lives."""
        return resolve_refs(self.registry, self.source, node, pointer)


def resolve_refs(registry: Registry[Any], source: str, node: Any, pointer: str) -> tuple[Any, str]:
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#") or ref in seen:
            raise OpenApiError(
                source,
                pointer,
                f"the reference {ref!r} cannot be followed"
                + (" (it points back to itself)" if ref in seen else " (it leaves the document)"),
                "put every schema the document uses under #/components and refer to it with "
                "'#/components/...'",
            )
        seen.add(ref)
        try:
            node = registry.resolver(DOCUMENT_URI).lookup(ref).contents
        except Unresolvable as exc:
            raise OpenApiError(
                source,
                pointer,
                f"the reference {ref!r} points to nothing",
                "define the target or correct the reference",
            ) from exc
        pointer = ref[1:]
    return node, pointer


def load_openapi(path: str | os.PathLike[str]) -> OpenApiDocument:
    """Read and validate the OpenAPI document at ``path`` (YAML or JSON), following ``$ref``
    to other local files relative to it (:mod:`~accord.openapi.file_refs`)."""
    source = os.fspath(path)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OpenApiError(
            source, "", f"cannot be read ({exc})", "check the path and that it is UTF-8 text"
        ) from exc
    return parse_openapi(bundle_file_refs(parse_yaml(text, source), source), source=source)


def parse_openapi_text(text: str, *, source: str = "<memory>") -> OpenApiDocument:
    """Parse YAML or JSON text (JSON is YAML) and validate it as OpenAPI 3.0 or 3.1; it must
    stand alone (a ``$ref`` to another file is refused: there is no folder to look in)."""
    return parse_openapi(parse_yaml(text, source), source=source)


def parse_openapi(data: object, *, source: str = "<memory>") -> OpenApiDocument:
    """Validate an already-parsed document and index its operations."""
    version = _version_of(data, source)
    assert isinstance(data, dict)  # _version_of checked it
    refuse_external_refs(data, source)
    validator = OpenAPIV30SpecValidator if version == "3.0" else OpenAPIV31SpecValidator
    # a round trip through JSON turns YAML's dates and non-string keys into what JSON allows
    try:
        plain: dict[str, Any] = json.loads(json.dumps(data, default=str))
    except (TypeError, ValueError) as exc:
        raise OpenApiError(
            source, "", f"contains values JSON cannot hold ({exc})", "use plain YAML values"
        ) from exc
    _validate(plain, validator, source)
    specification = DRAFT4 if version == "3.0" else DRAFT202012
    registry: Registry[Any] = Registry().with_resource(
        DOCUMENT_URI, specification.create_resource(plain)
    )
    operations = tuple(_operations(plain, registry, source))
    return OpenApiDocument(
        source=source,
        version=version,
        data=plain,
        base_paths=_base_paths(plain),
        operations=operations,
        registry=registry,
    )


def _version_of(data: object, source: str) -> OpenApiVersion:
    if not isinstance(data, dict):
        raise OpenApiError(
            source,
            "",
            f"is not an OpenAPI document (found a {type(data).__name__}, not an object)",
            "give the provider's OpenAPI 3.0 or 3.1 document",
        )
    if "swagger" in data:
        raise OpenApiError(
            source,
            "/swagger",
            f"is a Swagger/OpenAPI {data.get('swagger')} document; accord reads OpenAPI 3.0 "
            "and 3.1",
            "convert it (e.g. with swagger2openapi, or the 'Convert to OpenAPI 3' action of "
            "Swagger Editor) and check the converted file",
        )
    declared = data.get("openapi")
    if not isinstance(declared, str):
        raise OpenApiError(
            source,
            "/openapi",
            "is not an OpenAPI document (it has no 'openapi' version field)",
            "give the provider's OpenAPI 3.0 or 3.1 document, which starts with 'openapi: 3.x.y'",
        )
    if declared.startswith("3.0"):
        return "3.0"
    if declared.startswith("3.1"):
        return "3.1"
    raise OpenApiError(
        source,
        "/openapi",
        f"declares OpenAPI {declared}, which accord does not read",
        "accord reads OpenAPI 3.0.x and 3.1.x documents",
    )


def _validate(data: dict[str, Any], validator: Any, source: str) -> None:
    try:
        error = next(validator(data).iter_errors(), None)
    except Unresolvable as exc:
        ref = getattr(exc, "ref", "")
        raise OpenApiError(
            source,
            "",
            f"the reference '#{ref}' points to nothing"
            if ref.startswith("/")
            else f"a reference cannot be resolved ({exc})",
            "define the target under #/components or correct the $ref",
        ) from exc
    if error is None:
        return
    assert isinstance(error, OpenAPIValidationError | Exception)
    path = getattr(error, "absolute_path", ())
    pointer = pointer_join("", *path)
    message = getattr(error, "message", str(error))
    raise OpenApiError(
        source,
        pointer,
        f"is not a valid OpenAPI document: {message}",
        "fix the document so that openapi-spec-validator accepts it (see the OpenAPI "
        "specification for this field)",
    )


def _base_paths(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The path prefixes of the ``servers`` (``https://h/v1`` → ``/v1``); ``("",)`` if none."""
    bases: list[str] = []
    for server in data.get("servers") or ():
        url = str(server.get("url", ""))
        for name, variable in (server.get("variables") or {}).items():
            url = url.replace("{" + name + "}", str(variable.get("default", "")))
        path = urlsplit(url).path if "://" in url else url
        path = path.rstrip("/")
        if path not in bases:
            bases.append(path)
    return tuple(bases) or ("",)


def _operations(
    data: Mapping[str, Any], registry: Registry[Any], source: str
) -> Iterator[Operation]:
    for path, raw_item in (data.get("paths") or {}).items():
        item, item_pointer = resolve_refs(registry, source, raw_item, pointer_join("/paths", path))
        shared = _parameters(item.get("parameters") or (), item_pointer, registry, source)
        for method in HTTP_METHODS:
            node = item.get(method)
            if not isinstance(node, Mapping):
                continue
            pointer = pointer_join(item_pointer, method)
            own = _parameters(node.get("parameters") or (), pointer, registry, source)
            merged = {(p.name, p.location): p for p in (*shared, *own)}
            yield Operation(path, method, pointer, node, tuple(merged.values()))


def _parameters(nodes: Any, pointer: str, registry: Registry[Any], source: str) -> list[Parameter]:
    parameters: list[Parameter] = []
    for index, raw in enumerate(nodes):
        node, where = resolve_refs(
            registry, source, raw, pointer_join(pointer, "parameters", index)
        )
        schema = node.get("schema")
        if schema is None:  # the ``content`` form: one media type with a schema
            for media in (node.get("content") or {}).values():
                schema = media.get("schema")
                break
        parameters.append(
            Parameter(
                name=str(node["name"]),
                location=str(node["in"]),
                required=bool(node.get("required", node.get("in") == "path")),
                schema=schema,
                pointer=where,
            )
        )
    return parameters
