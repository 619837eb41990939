"""Breaking changes between two versions of a provider's OpenAPI document.

A change is *breaking* when a client that worked with the old document can fail with the new
one: a path, operation, response or response property removed; a request that now needs more
(a newly required parameter or field, a narrowed type, fewer enum values); a response that may
now carry what it could not (a widened type, more enum values, a field no longer required).
With consumer pacts, :func:`used_by` says which consumers rely on each breaking change, so a
provider learns whether a change hurts anyone before it ships.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.openapi.document import OpenApiDocument, Operation, pointer_join
from accord.openapi.operations import find_operations
from accord.openapi.schemas import Direction
from accord.pact.model import BodyKind, Pact, SynchronousHttp

FieldPath = tuple[str, ...]
ITEM = "[]"


@dataclass(frozen=True, slots=True)
class SpecChange:
    """One difference between the documents. ``field`` is the body path it concerns
    (``("items", "[]", "name")``), empty for a whole operation, parameter or response."""

    breaking: bool
    operation: str
    pointer: str
    message: str
    direction: Direction | None = None
    field: FieldPath = ()
    parameter: tuple[str, str] | None = None  # (location, name)

    def to_json(self) -> dict[str, Any]:
        return {
            "breaking": self.breaking,
            "operation": self.operation,
            "pointer": self.pointer,
            "message": self.message,
            "direction": self.direction,
            "field": ".".join(self.field) or None,
            "parameter": list(self.parameter) if self.parameter else None,
        }


@dataclass(frozen=True, slots=True)
class Usage:
    """A consumer interaction that relies on what a breaking change takes away."""

    consumer: str
    interaction: str
    what: str


def diff_openapi(old: OpenApiDocument, new: OpenApiDocument) -> list[SpecChange]:
    """Every change from ``old`` to ``new`` that a client could notice, breaking ones first."""
    changes: list[SpecChange] = []
    new_ops = {(op.path, op.method): op for op in new.operations}
    for old_op in old.operations:
        new_op = new_ops.get((old_op.path, old_op.method))
        if new_op is None:
            path_kept = any(p == old_op.path for p, _ in new_ops)
            changes.append(
                SpecChange(
                    True,
                    old_op.label,
                    old_op.pointer,
                    f"the operation {old_op.label} was removed"
                    if path_kept
                    else f"the path {old_op.path} was removed",
                )
            )
            continue
        changes.extend(_OperationDiff(old, new, old_op, new_op).changes())
    old_keys = {(op.path, op.method) for op in old.operations}
    for op in new.operations:
        if (op.path, op.method) not in old_keys:
            changes.append(SpecChange(False, op.label, op.pointer, f"{op.label} was added"))
    return sorted(changes, key=lambda c: not c.breaking)


class _OperationDiff:
    def __init__(
        self, old: OpenApiDocument, new: OpenApiDocument, old_op: Operation, new_op: Operation
    ) -> None:
        self.old, self.new, self.old_op, self.new_op = old, new, old_op, new_op
        self.found: list[SpecChange] = []

    def add(self, breaking: bool, pointer: str, message: str, **extra: Any) -> None:
        self.found.append(SpecChange(breaking, self.new_op.label, pointer, message, **extra))

    def changes(self) -> list[SpecChange]:
        self._parameters()
        self._request_body()
        self._responses()
        return self.found

    def _parameters(self) -> None:
        old = {(p.location, p.name): p for p in self.old_op.parameters}
        for parameter in self.new_op.parameters:
            key = (parameter.location, parameter.name)
            before = old.get(key)
            if before is None or (parameter.required and not before.required):
                if parameter.required:
                    self.add(
                        True,
                        parameter.pointer,
                        f"the {parameter.location} parameter {parameter.name!r} is now required",
                        direction="request",
                        parameter=key,
                    )
                continue
            if before.schema is not None and parameter.schema is not None:
                for change in _schema_changes(
                    self.old,
                    self.new,
                    before.schema,
                    pointer_join(before.pointer, "schema"),
                    parameter.schema,
                    pointer_join(parameter.pointer, "schema"),
                    "request",
                    (),
                    set(),
                ):
                    breaking, pointer, message, _ = change
                    self.add(
                        breaking,
                        pointer,
                        f"{parameter.location} parameter {parameter.name!r}: {message}",
                        direction="request",
                        parameter=key,
                    )

    def _request_body(self) -> None:
        old_body = self._media(self.old, self.old_op.node.get("requestBody"), self.old_op, True)
        new_body = self._media(self.new, self.new_op.node.get("requestBody"), self.new_op, True)
        if old_body is None and new_body is not None and new_body[2]:
            self.add(True, new_body[1], "a request body is now required", direction="request")
        if old_body is None or new_body is None:
            return
        for key, (old_schema, old_pointer) in old_body[0].items():
            if key not in new_body[0]:
                self.add(
                    True,
                    new_body[1],
                    f"the request body no longer accepts {key}",
                    direction="request",
                )
                continue
            self._schemas(old_schema, old_pointer, *new_body[0][key], "request")

    def _responses(self) -> None:
        old_responses = self.old_op.node.get("responses") or {}
        new_responses = self.new_op.node.get("responses") or {}
        base_old = pointer_join(self.old_op.pointer, "responses")
        base_new = pointer_join(self.new_op.pointer, "responses")
        for status, old_node in old_responses.items():
            if status not in new_responses:
                self.add(True, pointer_join(base_old, status), f"response {status} was removed")
                continue
            old_content = self._content(self.old, old_node, pointer_join(base_old, status))
            new_content = self._content(
                self.new, new_responses[status], pointer_join(base_new, status)
            )
            for key, (old_schema, old_pointer) in old_content.items():
                if key not in new_content:
                    self.add(
                        True,
                        pointer_join(base_new, status),
                        f"response {status} is no longer sent as {key}",
                        direction="response",
                    )
                    continue
                self._schemas(old_schema, old_pointer, *new_content[key], "response", status)

    def _schemas(  # noqa: PLR0917 - old and new schema side by side
        self,
        old_schema: Any,
        old_pointer: str,
        new_schema: Any,
        new_pointer: str,
        direction: Direction,
        status: str = "",
    ) -> None:
        for breaking, pointer, message, field in _schema_changes(
            self.old,
            self.new,
            old_schema,
            old_pointer,
            new_schema,
            new_pointer,
            direction,
            (),
            set(),
        ):
            where = f"response {status}" if status else "request body"
            self.add(breaking, pointer, f"{where}: {message}", direction=direction, field=field)

    @staticmethod
    def _media(
        document: OpenApiDocument, node: Any, operation: Operation, _: bool
    ) -> tuple[dict[str, tuple[Any, str]], str, bool] | None:
        if node is None:
            return None
        resolved, pointer = document.resolve(node, pointer_join(operation.pointer, "requestBody"))
        return (
            _OperationDiff._content(document, resolved, pointer),
            pointer,
            bool(resolved.get("required")),
        )

    @staticmethod
    def _content(document: OpenApiDocument, node: Any, pointer: str) -> dict[str, tuple[Any, str]]:
        resolved, pointer = document.resolve(node, pointer)
        found = {}
        for key, raw in (resolved.get("content") or {}).items():
            media, where = document.resolve(raw, pointer_join(pointer, "content", key))
            if isinstance(media, Mapping) and "schema" in media:
                found[key] = (media["schema"], pointer_join(where, "schema"))
        return found


def _types(node: Mapping[str, Any]) -> set[str] | None:
    declared = node.get("type")
    if declared is None:
        return None
    types = {declared} if isinstance(declared, str) else set(declared)
    if node.get("nullable"):
        types.add("null")
    if "integer" in types:
        types.add("number-integer")
    return types


def _schema_changes(  # noqa: PLR0917 - old and new side by side, then the walk's state
    old: OpenApiDocument,
    new: OpenApiDocument,
    old_schema: Any,
    old_pointer: str,
    new_schema: Any,
    new_pointer: str,
    direction: Direction,
    field: FieldPath,
    seen: set[tuple[str, str]],
) -> Iterator[tuple[bool, str, str, FieldPath]]:
    """(breaking, pointer in new, message, field) for each change of one schema, recursively."""
    old_node, old_pointer = old.resolve(old_schema, old_pointer)
    new_node, new_pointer = new.resolve(new_schema, new_pointer)
    if (old_pointer, new_pointer) in seen or not isinstance(old_node, Mapping):
        return
    if not isinstance(new_node, Mapping):
        return
    seen = seen | {(old_pointer, new_pointer)}
    name = ".".join(field) or "the body"
    old_types, new_types = _types(old_node), _types(new_node)
    if old_types is not None and new_types is not None and old_types != new_types:
        narrowed = not new_types >= old_types
        widened = not new_types <= old_types
        breaking = narrowed if direction == "request" else widened
        yield (
            breaking,
            pointer_join(new_pointer, "type"),
            f"{name} changed type from {sorted(old_types - {'number-integer'})} to "
            f"{sorted(new_types - {'number-integer'})}",
            field,
        )
    old_enum, new_enum = old_node.get("enum"), new_node.get("enum")
    if isinstance(new_enum, list):
        before = old_enum if isinstance(old_enum, list) else None
        removed = [v for v in before or () if v not in new_enum]
        added = [v for v in new_enum if before is not None and v not in before]
        if before is None and direction == "request":
            yield (
                True,
                pointer_join(new_pointer, "enum"),
                f"{name} is now limited to {new_enum}",
                field,
            )
        if removed and direction == "request":
            yield (
                True,
                pointer_join(new_pointer, "enum"),
                f"{name} no longer accepts {removed}",
                field,
            )
        if added and direction == "response":
            yield True, pointer_join(new_pointer, "enum"), f"{name} may now be {added}", field
    old_props = old_node.get("properties") or {}
    new_props = new_node.get("properties") or {}
    old_required = set(old_node.get("required") or ())
    new_required = set(new_node.get("required") or ())
    for prop, schema in old_props.items():
        here = (*field, prop)
        if prop not in new_props:
            yield (
                direction == "response",
                pointer_join(new_pointer, "properties"),
                f"property {'.'.join(here)} was removed",
                here,
            )
            continue
        if direction == "response" and prop in old_required and prop not in new_required:
            yield (
                True,
                pointer_join(new_pointer, "required"),
                f"{'.'.join(here)} is no longer required",
                here,
            )
        yield from _schema_changes(
            old,
            new,
            schema,
            pointer_join(old_pointer, "properties", prop),
            new_props[prop],
            pointer_join(new_pointer, "properties", prop),
            direction,
            here,
            seen,
        )
    if direction == "request":
        for prop in sorted(new_required - old_required):
            yield (
                True,
                pointer_join(new_pointer, "required"),
                f"{'.'.join((*field, prop))} is now required",
                (*field, prop),
            )
    if isinstance(old_node.get("items"), Mapping) and isinstance(new_node.get("items"), Mapping):
        yield from _schema_changes(
            old,
            new,
            old_node["items"],
            pointer_join(old_pointer, "items"),
            new_node["items"],
            pointer_join(new_pointer, "items"),
            direction,
            (*field, ITEM),
            seen,
        )


# --- who relies on a change ------------------------------------------------------------------


def used_by(change: SpecChange, old: OpenApiDocument, pacts: Sequence[Pact]) -> list[Usage]:
    """The consumer interactions (of ``pacts``) that exercise what ``change`` breaks."""
    usages = []
    for pact in pacts:
        for interaction in pact.interactions:
            if not isinstance(interaction, SynchronousHttp):
                continue
            request = interaction.request
            candidates, _ = find_operations(old, request.method, request.path)
            if not candidates or candidates[0].operation.label != change.operation:
                continue
            what = _uses(change, interaction)
            if what is not None:
                usages.append(Usage(pact.consumer, interaction.description, what))
    return usages


def _uses(change: SpecChange, interaction: SynchronousHttp) -> str | None:
    if change.parameter is not None:
        location, name = change.parameter
        if location == "query" and name in interaction.request.query:
            return f"query parameter `{name}`"
        if location == "header" and name.lower() in {
            h.lower() for h in interaction.request.headers
        }:
            return f"header `{name}`"
        if location == "path":
            return f"path parameter `{name}`"
        return f"{location} parameter `{name}`" if "now required" in change.message else None
    if change.field:
        body = (
            interaction.request.body if change.direction == "request" else interaction.response.body
        )
        if body.kind is BodyKind.PRESENT and _has_field(body.value, change.field):
            return f"`{'.'.join(f for f in change.field if f != ITEM)}`"
        if change.direction == "request" and "now required" in change.message:
            return f"the request body (without `{change.field[-1]}`)"
        return None
    return "the operation"


def _has_field(value: Any, field: FieldPath) -> bool:
    if not field:
        return True
    head, rest = field[0], field[1:]
    if head == ITEM:
        return isinstance(value, list) and any(_has_field(v, rest) for v in value)
    return isinstance(value, dict) and head in value and _has_field(value[head], rest)
