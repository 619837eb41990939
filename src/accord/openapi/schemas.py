"""Judging values against the document's schemas with ``jsonschema`` (OpenAPI dialects).

Values are validated by ``openapi-schema-validator`` (``jsonschema`` with the OpenAPI 3.0
keywords such as ``nullable``, and the 3.1 dialect). Two *views* of the document exist because
OpenAPI reads ``required`` differently by direction: a ``readOnly`` property is not required in
a request, a ``writeOnly`` one not in a response. Each violation carries the JSON pointer of
the schema keyword that failed, found by object identity in the view (``jsonschema`` loses
``$ref`` hops in its own schema paths).
"""

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from accord.openapi.document import DOCUMENT_URI, OpenApiDocument, pointer_join, resolve_refs

Direction = Literal["request", "response"]

#: Keywords that constrain a value, not its type or shape: a pact matching rule that accepts
#: any value of a type makes their verdict on the example irrelevant.
VALUE_KEYWORDS = frozenset(
    {
        "enum",
        "const",
        "pattern",
        "format",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    }
)


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a value breaks a schema: where in the value, which keyword, where in the doc."""

    path: tuple[str | int, ...]
    keyword: str
    message: str
    pointer: str
    schema_value: Any = None


class SchemaChecker:
    """Validates values against schemas of one document, by pointer and direction."""

    def __init__(self, document: OpenApiDocument) -> None:
        self.document = document
        self._views: dict[Direction, _View] = {
            "request": _View(document, hidden="readOnly"),
            # a consumer that leaves out a field the provider always sends asks for less,
            # not more: responses are judged without ``required`` (as PactFlow's engine does)
            "response": _View(document, hidden="*"),
        }

    def violations(self, value: Any, pointer: str, direction: Direction) -> list[Violation]:
        """Every violation of the schema at ``pointer`` by ``value`` (deepest first)."""
        return self._views[direction].violations(value, pointer)

    def is_valid(self, value: Any, pointer: str, direction: Direction) -> bool:
        return not self._views[direction].violations(value, pointer, first_only=True)

    def node(self, pointer: str, direction: Direction) -> tuple[Any, str]:
        """The schema at ``pointer`` in the direction's view, ``$ref`` followed."""
        view = self._views[direction]
        return resolve_refs(view.registry, self.document.source, view.at(pointer), pointer)


class _View:
    """A copy of the document whose ``required`` lists drop the properties hidden in one
    direction (``hidden="*"``: all of them), with a registry and an identity index of its
    schema objects."""

    def __init__(self, document: OpenApiDocument, *, hidden: str) -> None:
        self.data = _without_hidden_required(copy.deepcopy(dict(document.data)), hidden)
        specification = DRAFT4 if document.version == "3.0" else DRAFT202012
        self.registry: Registry[Any] = Registry().with_resource(
            DOCUMENT_URI, specification.create_resource(self.data)
        )
        self._pointers = dict(_index(self.data, ""))
        self._validator_class: Any = OAS30Validator if document.version == "3.0" else OAS31Validator
        self._formats = oas30_format_checker if document.version == "3.0" else oas31_format_checker
        self._cache: dict[str, Any] = {}

    def at(self, pointer: str) -> Any:
        node: Any = self.data
        for token in pointer.split("/")[1:]:
            key = token.replace("~1", "/").replace("~0", "~")
            node = node[int(key)] if isinstance(node, list) else node[key]
        return node

    def violations(self, value: Any, pointer: str, *, first_only: bool = False) -> list[Violation]:
        validator = self._cache.get(pointer)
        if validator is None:
            validator = self._validator_class(
                {"$ref": f"{DOCUMENT_URI}#{pointer}"},
                registry=self.registry,
                format_checker=self._formats,
            )
            self._cache[pointer] = validator
        found: list[Violation] = []
        for error in _leaves(validator.iter_errors(value)):
            schema = error.schema if isinstance(error.schema, Mapping) else {}
            where = self._pointers.get(id(schema), pointer)
            found.append(
                Violation(
                    path=tuple(error.absolute_path),
                    keyword=str(error.validator),
                    message=error.message,
                    pointer=pointer_join(where, str(error.validator)),
                    schema_value=error.validator_value,
                )
            )
            if first_only:
                break
        return found


def _leaves(errors: Iterator[Any]) -> Iterator[Any]:
    """Errors as people read them: for ``oneOf``/``anyOf``, the errors of the branch the value
    was closest to (one whose type fits), else the combinator's own error."""
    for error in errors:
        if error.validator not in {"oneOf", "anyOf"} or not error.context:
            yield error
            continue
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [
            subs
            for subs in branches.values()
            if not any(s.validator == "type" and not s.relative_path for s in subs)
        ]
        if len(fitting) == 1:
            yield from _leaves(iter(fitting[0]))
        else:
            yield error


def _without_hidden_required(node: Any, hidden: str) -> Any:
    if isinstance(node, dict):
        properties = node.get("properties")
        required = node.get("required")
        if isinstance(required, list) and hidden == "*":
            node["required"] = []
        elif isinstance(required, list) and isinstance(properties, dict):
            node["required"] = [
                name
                for name in required
                if not (isinstance(properties.get(name), dict) and properties[name].get(hidden))
            ]
        for child in node.values():
            _without_hidden_required(child, hidden)
    elif isinstance(node, list):
        for child in node:
            _without_hidden_required(child, hidden)
    return node


def _index(node: Any, pointer: str) -> Iterator[tuple[int, str]]:
    if isinstance(node, dict):
        yield id(node), pointer
        for key, child in node.items():
            yield from _index(child, pointer_join(pointer, key))
    elif isinstance(node, list):
        for position, child in enumerate(node):
            yield from _index(child, pointer_join(pointer, position))


def schema_pointer(document: OpenApiDocument, pointer: str) -> str:
    """The pointer of the schema at ``pointer`` once its ``$ref`` chain is followed."""
    node: Any = document.data
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return resolve_refs(document.registry, document.source, node, pointer)[1]
