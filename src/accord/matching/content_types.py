"""Media types: which family a body belongs to, and whether two declared types agree."""

from typing import Final, Literal

BodyFamily = Literal["json", "xml", "multipart", "form", "text", "binary"]

_TEXT_APPLICATION: Final = frozenset(
    {
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "application/yaml",
        "application/x-yaml",
        "application/csv",
        "application/sql",
    }
)
_XML_EQUIVALENT: Final = frozenset({"application/xml", "text/xml"})


def base_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def family(content_type: str | None) -> BodyFamily:
    """Dispatch order of spec §3.6.2: JSON, XML, multipart, form, binary, else text."""
    media = base_type(content_type)
    if media is None:
        return "text"
    main, _, sub = media.partition("/")
    if (
        sub == "json"
        or sub.endswith("+json")
        or sub.startswith("json")
        or media == ("application/graphql")
    ):
        return "json"
    if media in _XML_EQUIVALENT or sub.endswith("+xml"):
        return "xml"
    if main == "multipart":
        return "multipart"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if main == "text" or media in _TEXT_APPLICATION:
        return "text"
    return "binary"


def is_textual(content_type: str | None) -> bool:
    """Whether decoded bytes of this type are best held as text (multipart stays bytes)."""
    return family(content_type) not in ("binary", "multipart")


def types_agree(expected: str, actual: str) -> bool:
    """Declared types are compatible: equal, XML twins, or ``+json``/``+xml`` of the expected."""
    e, a = base_type(expected), base_type(actual)
    if e is None or a is None or e == a:
        return True
    if e in _XML_EQUIVALENT and a in _XML_EQUIVALENT:
        return True
    e_main, _, e_sub = e.partition("/")
    a_main, _, a_sub = a.partition("/")
    if "+" in a_sub and e_main == a_main and a_sub.rsplit("+", 1)[1] == e_sub:
        return True
    return "+" in e_sub and e_main == a_main and e_sub.rsplit("+", 1)[1] == a_sub
