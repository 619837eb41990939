"""Reading JSON the broker can give back: no NaN, no Infinity, no lone surrogates.

Python's ``json`` module reads ``NaN``, ``Infinity`` and ``1e400`` (as an infinite float) and
``"\\ud800"`` (a lone UTF-16 surrogate), none of which the broker can write back as JSON or
UTF-8: accepted, such a value made every later read of the pact or result fail. So every JSON
the broker stores is read here, and such a value is refused with a 400 whose ``errors`` key is
the JSON path of the value, e.g. ``contracts[0].content.interactions[0].response.body.x``.
"""

import json
import math
import re
from typing import Any

from accord_broker.errors import BrokerInputError

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
"""A ``\\uD800`` to ``\\uDFFF`` escape: only then can a string hold a (lone) surrogate."""


class _Unstorable:
    """Stands in, while parsing, for a number that JSON cannot write back."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal


def _number(literal: str) -> float | _Unstorable:
    value = float(literal)
    return value if math.isfinite(value) else _Unstorable(literal)


def load_storable_json(text: str, *, where: str = "") -> Any:
    """``text`` parsed as JSON, refusing values the broker could not write back.

    ``where`` is the JSON path of ``text`` inside the request (``""`` for the body itself); it
    prefixes the path in the error. ``json.JSONDecodeError`` and ``RecursionError`` propagate
    as from ``json.loads``, so callers keep their own syntax messages.
    """
    found: list[_Unstorable] = []

    def constant(name: str) -> _Unstorable:
        marker = _Unstorable(name)
        found.append(marker)
        return marker

    def number(literal: str) -> float | _Unstorable:
        value = _number(literal)
        if isinstance(value, _Unstorable):
            found.append(value)
        return value

    data = json.loads(text, parse_constant=constant, parse_float=number)
    if found or _SURROGATE_ESCAPE.search(text):
        problem = _first_problem(data, where)
        if problem is not None:
            path, message = problem
            raise BrokerInputError(
                f"{path or 'body'} {message}", errors={path or "body": [message]}
            )
    return data


def _first_problem(value: Any, path: str) -> tuple[str, str] | None:
    """(JSON path, message) of the first value in ``value`` that cannot be written back."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        here, item = stack.pop()
        if isinstance(item, _Unstorable):
            return here, _number_message(item.literal)
        if isinstance(item, str):
            if _has_lone_surrogate(item):
                return here, f"contains {_SURROGATE}"
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                if _has_lone_surrogate(key):
                    return _join(here, key), f"is a key that contains {_SURROGATE}"
                stack.append((_join(here, key), child))
        elif isinstance(item, list):
            stack.extend(
                (f"{here}[{index}]", child) for index, child in reversed(list(enumerate(item)))
            )
    return None


_SURROGATE = (
    "a lone UTF-16 surrogate (\\ud800-\\udfff), which is not a character: JSON text "
    "must be valid Unicode, so encode the value as UTF-8 or as a surrogate pair"
)


def _number_message(literal: str) -> str:
    if literal in ("NaN", "Infinity", "-Infinity"):
        return (
            f"is {literal}, which is not a JSON number: JSON has no NaN or Infinity, so the "
            "broker could not give it back; send a finite number, a string or null"
        )
    return (
        f"is {literal}, beyond the range of a 64-bit floating-point number, so the broker "
        "could not give it back as JSON; send a smaller number or a string"
    )


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
