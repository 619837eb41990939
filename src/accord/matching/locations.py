"""Concrete paths rendered for people: ``$.body.items[2].id`` and ``'items[2]'``."""

from accord.matching.selection import ConcretePath


def _is_plain(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "_-@#" for c in name)


def render(prefix: str, path: ConcretePath) -> str:
    """The JSON path of a value: ``prefix`` (``$.body``) followed by the fragments after ``$``."""
    parts = [prefix]
    for fragment in path[1:]:
        if isinstance(fragment, int):
            parts.append(f"[{fragment}]")
        elif _is_plain(fragment):
            parts.append(f".{fragment}")
        else:
            parts.append("['" + fragment.replace("'", "\\'") + "']")
    return "".join(parts)


def describe(path: ConcretePath, whole: str = "the body") -> str:
    """How a message names a value: its key (``'id'``), an item (``'items[2]'``) or the body."""
    if len(path) <= 1:
        return whole
    last = path[-1]
    if isinstance(last, str) and len(path) > 2 and last[:1] in ("#", "@"):
        owner = path[-2]
        if last == "#text":
            return f"the text of '{owner}'"
        return f"attribute '{last[1:]}' of '{owner}'"
    if isinstance(last, int):
        parent = path[-2]
        owner = "" if len(path) == 2 else (f"{parent}" if isinstance(parent, str) else "")
        return f"'{owner}[{last}]'"
    return f"'{last}'"


class Label:
    """A value's name for messages, rendered only if a message is actually written: matching
    mostly succeeds, and naming every value up front would cost more than comparing it."""

    __slots__ = ("path",)

    def __init__(self, path: ConcretePath) -> None:
        self.path = path

    def __str__(self) -> str:
        return describe(self.path)
