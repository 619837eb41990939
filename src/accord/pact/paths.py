"""Path expressions: where in a body a matching rule or a generator applies.

``$.items[*].id``, ``$['x y'].a`` and the reference's ``a.b`` (read as ``$.a.b``) are split
into tokens once, here, because the V2 rule keys (``$.body.a``) need them to be split while a
pact is read, and the matching engine and the generators select by the same tokens.
"""

from typing import Final

__all__ = ["ROOT", "STAR", "STAR_INDEX", "PathToken", "parse_path_expression"]

PathToken = str | int
"""One token of a path expression: ``ROOT``, a key name, an array index, ``STAR`` or
``STAR_INDEX``. Keys are ``str`` and indices ``int``, so ``$['2']`` and ``$[2]`` differ."""

ROOT: Final = "$"
# Sentinels that no real key can collide with (they hold characters no JSON key parses to here).
STAR: Final = "\x00*"
STAR_INDEX: Final = "\x00[*]"

_NAME_STOPS: Final = frozenset(".[")


def parse_path_expression(expression: str) -> tuple[PathToken, ...]:
    """Split a rule path such as ``$.items[*].id`` or ``$['x y'].a`` into tokens.

    A path may omit the leading ``$`` (the reference reads ``a.b`` as ``$.a.b``). Raises
    ``ValueError`` with a short reason when the expression is malformed; callers turn that into
    a :class:`PactFormatError` that names where the expression was found.
    """
    text = expression.strip()
    tokens: list[PathToken] = [ROOT]
    if text.startswith("$"):
        pos = 1
    else:
        if not text:
            raise ValueError("an empty path expression")
        text = "." + text if not text.startswith("[") else text
        pos = 0
    length = len(text)
    while pos < length:
        char = text[pos]
        if char == ".":
            pos += 1
            start = pos
            while pos < length and text[pos] not in _NAME_STOPS:
                pos += 1
            name = text[start:pos]
            if not name:
                raise ValueError(f"an empty name at character {start}")
            tokens.append(STAR if name == "*" else name)
        elif char == "[":
            close = text.find("]", pos)
            if close < 0:
                raise ValueError(f"an unclosed '[' at character {pos}")
            inner = text[pos + 1 : close].strip()
            if inner == "*":
                tokens.append(STAR_INDEX)
            elif len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
                # A quoted key may itself hold ']' (rare): re-scan for the closing quote.
                quote = inner[0]
                end_quote = text.find(quote, pos + 2)
                if end_quote < 0 or text[end_quote + 1 : end_quote + 2] != "]":
                    raise ValueError(f"an unterminated quoted name at character {pos}")
                tokens.append(text[pos + 2 : end_quote])
                close = end_quote + 1
            elif inner.isdigit():
                tokens.append(int(inner))
            else:
                raise ValueError(f"'[{inner}]' is neither an index, [*] nor a quoted name")
            pos = close + 1
        else:
            raise ValueError(f"unexpected {char!r} at character {pos}")
    return tuple(tokens)
