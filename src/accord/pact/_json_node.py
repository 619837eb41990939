"""A JSON value together with where it sits, so every complaint can name file and path.

Parsing a pact walks a tree of plain JSON values. Carrying the source and the JSON path along
with each value (``interactions[3].response.matchingRules``) lets the parser raise a
:class:`~accord.errors.PactFormatError` that tells the user exactly what to fix, instead of the
``KeyError`` or ``TypeError`` a bare dictionary walk would leak.
"""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from accord.errors import PactFormatError

_SHOWN_TEXT = 40


def describe(value: object) -> str:
    """A short human description of a JSON value, for the ``found`` part of an error."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= _SHOWN_TEXT else value[:_SHOWN_TEXT] + "…"
        return f"the string {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return f"a {type(value).__name__} (not a JSON value)"


def child_path(parent: str, key: str) -> str:
    """The path of an object member: ``a.b`` for plain names, ``a['x y']`` otherwise.

    The same spelling as the matching-rule paths of :mod:`accord.pact.rules`, so one error
    message style covers the whole file.
    """
    # every character alphanumeric, "_" or "-" (one C-level test: parsing calls this per member)
    bare = key.replace("_", "").replace("-", "")
    if key and (not bare or bare.isalnum()):
        return f"{parent}.{key}" if parent else key
    escaped = key.replace("'", "\\'")
    return f"{parent}['{escaped}']"


@dataclass(frozen=True, slots=True)
class JsonNode:
    """One value of a pact document and its location (``source`` file, JSON ``path``)."""

    value: object
    source: str
    path: str = ""

    def error(self, expected: str) -> PactFormatError:
        """The error to raise when this value is not what the specification wants here."""
        return PactFormatError(self.source, self.path, expected, describe(self.value))

    def member(self, key: str) -> "JsonNode":
        """The node of member ``key`` (value ``None`` when absent); this must be an object."""
        obj = self.object()
        return JsonNode(obj.get(key), self.source, child_path(self.path, key))

    def required(self, key: str, expected: str) -> "JsonNode":
        """The node of member ``key``, which must be present (``null`` is left to the caller)."""
        if key not in self.object():
            raise PactFormatError(
                self.source, child_path(self.path, key), expected, "nothing (the key is missing)"
            )
        return self.member(key)

    def present(self, key: str) -> "JsonNode | None":
        """The node of member ``key`` when the key is there, even with ``null``; else ``None``."""
        return self.member(key) if key in self.object() else None

    def has(self, key: str) -> bool:
        """Whether this object has member ``key`` (a member set to ``null`` counts)."""
        return key in self.object()

    def optional(self, key: str) -> "JsonNode | None":
        """The node of member ``key``, or ``None`` when the key is absent or ``null``."""
        obj = self.object()
        if obj.get(key) is None:
            return None
        return JsonNode(obj[key], self.source, child_path(self.path, key))

    def object(self, expected: str = "an object") -> Mapping[str, object]:
        # str.__instancecheck__ mapped in C: parsing asks this of every object it walks
        if not isinstance(self.value, Mapping) or not all(map(str.__instancecheck__, self.value)):
            raise self.error(expected)
        return self.value

    def members(self, expected: str = "an object") -> Iterator[tuple[str, "JsonNode"]]:
        for key, value in self.object(expected).items():
            yield key, JsonNode(value, self.source, child_path(self.path, key))

    def elements(self, expected: str = "an array") -> Iterator["JsonNode"]:
        if not isinstance(self.value, list | tuple):
            raise self.error(expected)
        for index, value in enumerate(self.value):
            yield JsonNode(value, self.source, f"{self.path}[{index}]")

    def string(self, expected: str = "a string") -> str:
        if not isinstance(self.value, str):
            raise self.error(expected)
        return self.value

    def boolean(self, expected: str = "true or false") -> bool:
        if not isinstance(self.value, bool):
            raise self.error(expected)
        return self.value

    def integer(self, expected: str = "an integer") -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.error(expected)
        return self.value
