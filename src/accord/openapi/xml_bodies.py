"""XML bodies as the values their schemas describe, following the schemas' ``xml`` objects.

OpenAPI describes XML with the same schemas as JSON plus an ``xml`` object per schema: the
element or attribute ``name`` (by default the property's name, and for the root the name of
the component schema), ``attribute: true``, ``wrapped`` arrays (one element around the items)
and a ``namespace``. This module reads the pact's XML document that way into an object, so it
can be judged like a JSON body, and itself checks what JSON has no counterpart for: the root
element's name and namespace. Elements and attributes the schema does not describe are kept
(under their name, attributes as ``@name``) so the comparison can say the consumer relies on
them. A ``prefix`` cannot be seen once the document is parsed (the namespace is compared
instead), and documents with a DOCTYPE are not parsed: both are said in a warning.
"""

from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element, ParseError, fromstring

from accord.openapi.context import BodyTarget, InteractionContext
from accord.openapi.document import pointer_join
from accord.openapi.findings import Severity
from accord.openapi.values import coerce_text, schema_types

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


class _Reader:
    """Reads one document; reports what it decides itself into ``context``."""

    def __init__(self, context: InteractionContext, target: BodyTarget) -> None:
        self.context = context
        self.target = target
        self.document = context.document
        self.code = f"{target.direction}.body.incompatible"

    def report(
        self, severity: Severity, pointer: str, expected: str, documented: str, message: str
    ) -> None:
        code = (
            self.code if severity is Severity.ERROR else f"{self.target.direction}.body.not-checked"
        )
        self.context.add(
            code, severity, self.target.pact_path, pointer, expected, documented, message
        )

    def root(self, element: Element, schema_pointer: str) -> Any:
        node, pointer = self.document.resolve({"$ref": "#" + schema_pointer}, schema_pointer)
        xml = _xml(node)
        default = pointer.rsplit("/", 1)[-1] if pointer.startswith("/components/schemas/") else None
        expected = xml.get("name", default)
        name_pointer = pointer_join(pointer, "xml", "name") if "name" in xml else pointer
        if expected is not None and _local(element.tag) != expected:
            self.report(
                Severity.ERROR,
                name_pointer,
                f"root element <{_local(element.tag)}>",
                f"<{expected}>",
                f"the XML root element is <{_local(element.tag)}>; the provider documents "
                f"<{expected}>",
            )
        namespace = xml.get("namespace")
        if isinstance(namespace, str) and _namespace(element.tag) != namespace:
            self.report(
                Severity.ERROR,
                pointer_join(pointer, "xml", "namespace"),
                f"namespace {_namespace(element.tag) or '(none)'!r}",
                f"namespace {namespace!r}",
                f"the XML root element is not in the namespace {namespace!r} the provider "
                "documents",
            )
        if "prefix" in xml:
            self.report(
                Severity.WARNING,
                pointer_join(pointer, "xml", "prefix"),
                "any prefix",
                f"prefix {xml['prefix']!r}",
                "the XML prefix was not checked: a parsed document keeps namespaces, not "
                "prefixes (the namespace was compared)",
            )
        return self.value(element, node, pointer)

    def value(self, element: Element, schema: Any, pointer: str) -> Any:
        node, pointer = self.document.resolve(schema, pointer)
        if element.get(_XSI + "nil") == "true":
            return None
        if not isinstance(node, Mapping):
            return _plain(element)
        types = schema_types(self.document, node, pointer)
        properties = _properties(self.document, node, pointer)
        if "array" in types and not properties:
            items, items_pointer = self.document.resolve(
                node.get("items", {}), pointer_join(pointer, "items")
            )
            name = _xml(items).get("name")
            children = [c for c in element if name is None or _local(c.tag) == name]
            return [self.value(c, items, items_pointer) for c in children]
        if properties or "object" in types:
            return self.object(element, properties)
        if len(element):
            return _plain(element)
        return coerce_text(element.text or "", types)

    def object(self, element: Element, properties: dict[str, tuple[Any, str]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        used_children: set[int] = set()
        used_attributes: set[str] = set()
        for name, (schema, schema_pointer) in properties.items():
            node, pointer = self.document.resolve(schema, schema_pointer)
            xml = _xml(node)
            xml_name = str(xml.get("name", name))
            types = schema_types(self.document, node, pointer)
            if xml.get("attribute"):
                attribute = next((a for a in element.attrib if _local(a) == xml_name), None)
                if attribute is not None:
                    used_attributes.add(attribute)
                    result[name] = coerce_text(element.attrib[attribute], types)
                continue
            if "array" in types:
                items = self._array(element, name, node, pointer, used_children)
                if items is not None:
                    result[name] = items
                continue
            child = next((c for c in element if _local(c.tag) == xml_name), None)
            if child is not None:
                used_children.add(id(child))
                result[name] = self.value(child, node, pointer)
        for child in element:
            if id(child) not in used_children:
                result.setdefault(_local(child.tag), _plain(child))
        for attribute, text in element.attrib.items():
            if attribute not in used_attributes and not attribute.startswith(_XSI):
                result.setdefault("@" + _local(attribute), text)
        return result

    def _array(
        self, element: Element, name: str, node: Mapping[str, Any], pointer: str, used: set[int]
    ) -> list[Any] | None:
        """An array property: items repeated in place, or inside a ``wrapped`` element."""
        xml = _xml(node)
        items, items_pointer = self.document.resolve(
            node.get("items", {}), pointer_join(pointer, "items")
        )
        item_name = str(_xml(items).get("name", name))
        holder = element
        if xml.get("wrapped"):
            wrapper_name = str(xml.get("name", name))
            wrapper = next((c for c in element if _local(c.tag) == wrapper_name), None)
            if wrapper is None:
                return None
            used.add(id(wrapper))
            holder = wrapper
            for stray in (c for c in wrapper if _local(c.tag) != item_name):
                self.report(
                    Severity.ERROR,
                    pointer_join(items_pointer, "xml") if "xml" in items else items_pointer,
                    f"<{_local(stray.tag)}> inside <{wrapper_name}>",
                    f"items named <{item_name}>",
                    f"the wrapped array <{wrapper_name}> holds <{_local(stray.tag)}>; the "
                    f"provider documents its items as <{item_name}>",
                )
        children = [c for c in holder if _local(c.tag) == item_name]
        if holder is element and not children:
            return None
        used.update(id(c) for c in children)
        return [self.value(c, items, items_pointer) for c in children]


def _xml(node: Any) -> Mapping[str, Any]:
    xml = node.get("xml") if isinstance(node, Mapping) else None
    return xml if isinstance(xml, Mapping) else {}


def _properties(document: Any, node: Mapping[str, Any], pointer: str) -> dict[str, tuple[Any, str]]:
    """Properties of an object schema and of its ``allOf``/``oneOf``/``anyOf`` branches."""
    found: dict[str, tuple[Any, str]] = {}
    pending: list[tuple[Any, str]] = [(node, pointer)]
    while pending:
        current, where = pending.pop()
        current, where = document.resolve(current, where)
        if not isinstance(current, Mapping):
            continue
        for name, schema in (current.get("properties") or {}).items():
            found.setdefault(name, (schema, pointer_join(where, "properties", name)))
        for combinator in ("allOf", "oneOf", "anyOf"):
            for index, branch in enumerate(current.get(combinator) or ()):
                pending.append((branch, pointer_join(where, combinator, index)))
    return found


def _plain(element: Element) -> Any:
    """An element no schema describes: its text, or an object of its children."""
    if not len(element) and not element.attrib:
        return element.text or ""
    value: dict[str, Any] = {"@" + _local(a): t for a, t in element.attrib.items()}
    for child in element:
        value.setdefault(_local(child.tag), _plain(child))
    return value


def xml_value(context: InteractionContext, target: BodyTarget, schema_pointer: str) -> Any:
    """The pact's XML body read through the schema, or ``None`` after a finding when it
    cannot be read."""
    text = target.value if isinstance(target.value, str) else target.raw.decode("utf-8", "replace")
    reader = _Reader(context, target)
    if "<!DOCTYPE" in text.upper():
        reader.report(
            Severity.WARNING,
            schema_pointer,
            "an XML document with a DOCTYPE",
            target.media_key,
            "the XML body declares a DOCTYPE, which accord does not parse (entities could "
            "expand without bound); it was not compared",
        )
        return None
    try:
        element = fromstring(text)
    except ParseError as exc:
        reader.report(
            Severity.ERROR,
            schema_pointer,
            f"{text[:40]!r}",
            target.media_key,
            f"the body is not well-formed XML ({exc})",
        )
        return None
    return reader.root(element, schema_pointer)
