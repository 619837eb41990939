"""Strings that match a regular expression, for the ``Regex`` generator.

Walks the pattern tree of Python's own regex parser (``re._parser``) over the pattern rewritten
into ``re`` syntax; it never runs a match, so no pattern can make it slow. The pattern is first
compiled for the linear-time engine the matchers use, so what they refuse (backreferences,
look-around) is refused here too. Unbounded repeats are capped to keep values short.
"""

import importlib
import random
import string
from typing import Any

from accord.pact.regex import python_dialect

_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")
_MAX_REPEAT_CAP = 5
_PRINTABLE = string.ascii_letters + string.digits
_CATEGORIES: dict[str, str] = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_NOT_DIGIT": string.ascii_letters,
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": _PRINTABLE,
    "CATEGORY_WORD": _PRINTABLE + "_",
    "CATEGORY_NOT_WORD": "-.,;:!",
}


def generate_matching(pattern: str, rng: random.Random | None = None) -> str:
    """A random string that the pact regex ``pattern`` matches (``^``/``$`` are ignored).

    Raises :class:`~accord.errors.PactRegexError` when the matchers could not run ``pattern``
    either, and ``re.error`` when Python's parser cannot read its structure.
    """
    chooser = rng or random.Random()
    tree = _parser.parse(python_dialect(pattern))
    groups: dict[int, str] = {}
    return _emit(list(tree), chooser, groups)


def _class_choices(items: list[tuple[Any, Any]]) -> list[str]:
    chars: list[str] = []
    negate = False
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.append(chr(arg))
        elif name == "RANGE":
            low, high = arg
            chars.extend(chr(c) for c in range(low, min(high, low + 200) + 1))
        elif name == "CATEGORY":
            chars.extend(_CATEGORIES.get(str(arg), _PRINTABLE))
    if negate:
        excluded = set(chars)
        return [c for c in _PRINTABLE if c not in excluded] or ["~"]
    return chars or ["x"]


def _emit(items: list[tuple[Any, Any]], rng: random.Random, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append(rng.choice([c for c in _PRINTABLE if ord(c) != arg]))
        elif name == "ANY":
            out.append(rng.choice(_PRINTABLE))
        elif name == "IN":
            out.append(rng.choice(_class_choices(list(arg))))
        elif name == "BRANCH":
            out.append(_emit(list(rng.choice(arg[1])), rng, groups))
        elif name == "SUBPATTERN":
            group, _add, _del, sub = arg
            text = _emit(list(sub), rng, groups)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            if high == _constants.MAXREPEAT:
                high = low + _MAX_REPEAT_CAP
            count = rng.randint(low, max(low, high))
            out.extend(_emit(list(sub), rng, groups) for _ in range(count))
        elif name == "GROUPREF":
            out.append(groups.get(arg, ""))
        elif name == "ATOMIC_GROUP":
            out.append(_emit(list(arg), rng, groups))
        # AT (anchors), ASSERT, ASSERT_NOT: emit nothing
    return "".join(out)
