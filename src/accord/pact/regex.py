r"""Pact regexes, run by a linear-time engine.

The regexes in a pact (``regex`` matchers in every rule category and inside ``eachKey`` /
``eachValue``, ``Regex`` and ``MockServerURL`` generators) come from whoever wrote the pact and
run against whatever a provider answers. A backtracking engine such as Python's ``re`` takes
exponential time for ``^(a+)+$`` on ``aaaa…!``, so one pact could hang a verification. RE2
(``google-re2``) runs every pattern in time linear in the input, as the Pact reference
implementation's engine does. This module is the only place that knows which engine runs pact
regexes; everything else calls :func:`compile_pact_regex`.

Pacts come from JVM, JavaScript, Ruby and Rust clients, so their dialect is read leniently:
Java's POSIX classes (``\p{Alpha}``), ``\h``, ``\uFFFF``, ``\Z``, ``\e``, ``\cX`` and
``\Q…\E`` quoting are rewritten into RE2 syntax. What a linear-time engine cannot run
(backreferences, look-around, possessive quantifiers, atomic groups, conditionals) is refused
with a :class:`~accord.errors.PactRegexError` naming the construct and how to do without it.

Semantics, pinned by ``tests/unit/matching/test_pact_regex.py``: a matcher matches the whole
value; ``\d``, ``\w``, ``\s`` and ``\b`` are ASCII-only, as in Java and JavaScript (write
``\p{Nd}`` or ``\p{L}`` for Unicode digits and letters); ``.`` does not match a newline; ``$``
matches only at the very end of the value.
"""

import functools
import re
from collections.abc import Mapping
from typing import Any, Final, Protocol

import re2

from accord.errors import PactRegexError

__all__ = [
    "PactRegex",
    "RegexMatch",
    "compile_engine_pattern",
    "compile_pact_regex",
    "python_dialect",
]


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # errors are raised to the caller, not printed on stderr
    return options


_OPTIONS: Final = _options()
_ANCHOR_BOTH: Final = getattr(getattr(re2, "_Anchor", None), "ANCHOR_BOTH", None)

#: Java's POSIX character classes (``\p{Alpha}``) -> RE2's ``[:alpha:]``.
_POSIX: Final[Mapping[str, str]] = {
    "Alpha": "alpha",
    "Digit": "digit",
    "Alnum": "alnum",
    "Upper": "upper",
    "Lower": "lower",
    "Punct": "punct",
    "Space": "space",
    "XDigit": "xdigit",
    "Blank": "blank",
    "Cntrl": "cntrl",
    "Graph": "graph",
    "Print": "print",
    "ASCII": "ascii",
}
#: The same classes in Python's ``re`` (for the example generator, which reads patterns with
#: ``re``'s parser), and ASCII stand-ins for the Unicode categories ``re`` cannot spell.
_PYTHON_CLASSES: Final[Mapping[str, str]] = {
    "alpha": "A-Za-z",
    "digit": "0-9",
    "alnum": "A-Za-z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "punct": r"!-/:-@\[-`{-~",
    "space": r" \t\n\x0b\f\r",
    "xdigit": "0-9a-fA-F",
    "blank": r" \t",
    "cntrl": r"\x00-\x1f\x7f",
    "graph": "!-~",
    "print": " -~",
    "ascii": r"\x00-\x7f",
    "L": "A-Za-z",
    "Lu": "A-Z",
    "Ll": "a-z",
    "N": "0-9",
    "Nd": "0-9",
}
#: Java's ``\h``: horizontal whitespace.
_HORIZONTAL_SPACE: Final = r"\t \x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}"

#: Group openings a linear-time engine cannot run: (opening, what it is, how to do without).
_GROUPS_REFUSED: Final = (
    ("(?<=", "a lookbehind", "rewrite the pattern without look-around"),
    ("(?<!", "a negative lookbehind", "rewrite the pattern without look-around"),
    ("(?=", "a lookahead", "rewrite the pattern without look-around"),
    ("(?!", "a negative lookahead", "rewrite the pattern without look-around"),
    ("(?>", "an atomic group", "use a plain group (?:...), which never backtracks here"),
    ("(?P=", "a named backreference", "repeat the group's pattern instead of referring to it"),
    ("(?(", "a conditional group", "use an alternation (a|b) instead"),
)
_BACKREFERENCE_FIX: Final = "repeat the group's pattern instead of referring back to it"
_POSSESSIVE_FIX: Final = "drop the trailing '+': quantifiers never backtrack here"
_COUNTED: Final = re.compile(r"\{\d+(?:,\d*)?\}")
_PROPERTY: Final = re.compile(r"\\([pP])(\{\^?([A-Za-z_ =]+)\}|[A-Za-z])")
_JAVA_UNICODE: Final = re.compile(r"\\u([0-9A-Fa-f]{4})")
_RE2_HEX: Final = re.compile(r"\\x\{([0-9A-Fa-f]{1,6})\}")
_POSIX_IN_CLASS: Final = re.compile(r"\[:(\^?)([a-z]+):\]")


class RegexMatch(Protocol):
    """What :meth:`PactRegex.search` finds: the span and groups of the leftmost match."""

    def start(self, group: int = 0) -> int: ...

    def end(self, group: int = 0) -> int: ...

    def group(self, index: int = 0) -> str | None: ...

    def groups(self) -> tuple[str | None, ...]: ...


class PactRegex:
    """A compiled pact regex. ``pattern`` is the regex as the pact wrote it.

    ``fullmatch`` is what matchers ask (a pact regex matches the whole value); ``search``
    finds the leftmost match with its groups (``MockServerURL`` generators).
    """

    __slots__ = ("_compiled", "_fast", "pattern", "translated")

    def __init__(self, pattern: str, translated: str, compiled: Any) -> None:
        self.pattern = pattern
        self.translated = translated
        self._compiled = compiled
        # The binding's own fullmatch decodes match offsets back to str positions, which a
        # yes/no answer does not need; its underlying RE2 object answers ~5x faster.
        fast = getattr(compiled, "_regexp", None)
        self._fast = fast if _ANCHOR_BOTH is not None and hasattr(fast, "Match") else None

    def fullmatch(self, text: str) -> bool:
        """Whether the whole of ``text`` matches, in time linear in its length."""
        if self._fast is None:
            return self._compiled.fullmatch(text) is not None
        data = text.encode("utf-8", "surrogatepass")
        spans = self._fast.Match(_ANCHOR_BOTH, data, 0, len(data))
        return bool(spans[0][0] >= 0)

    def search(self, text: str) -> RegexMatch | None:
        """The leftmost match anywhere in ``text``, or ``None``."""
        found: RegexMatch | None = self._compiled.search(text)
        return found

    def fullmatch_groups(self, text: str) -> RegexMatch | None:
        """The match of the whole of ``text`` with its groups, or ``None``."""
        if self._fast is not None and text.isascii():  # byte offsets are str offsets
            data = text.encode("ascii")
            spans = self._fast.Match(_ANCHOR_BOTH, data, 0, len(data))
            return _SpanMatch(text, spans) if spans[0][0] >= 0 else None
        found: RegexMatch | None = self._compiled.fullmatch(text)
        return found

    def __repr__(self) -> str:
        return f"PactRegex({self.pattern!r})"


class _SpanMatch:
    """A match read from RE2's spans of an ASCII text (what the binding's own match object
    offers, without its per-call offset decoding)."""

    __slots__ = ("_spans", "_text")

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self._text = text
        self._spans = spans

    def start(self, group: int = 0) -> int:
        return self._spans[group][0]

    def end(self, group: int = 0) -> int:
        return self._spans[group][1]

    def group(self, index: int = 0) -> str | None:
        start, end = self._spans[index]
        return None if start < 0 else self._text[start:end]

    def groups(self) -> tuple[str | None, ...]:
        return tuple(self.group(index) for index in range(1, len(self._spans)))


@functools.lru_cache(maxsize=1024)
def compile_pact_regex(pattern: str) -> PactRegex:
    """Compile a pact regex for the linear-time engine, or say why it cannot run.

    Raises :class:`~accord.errors.PactRegexError` for a construct a linear-time engine cannot
    run (naming it, its position and how to rewrite the pattern) and for a syntax error.
    """
    translated = _rewrite(pattern, python=False)
    try:
        compiled = re2.compile(translated, _OPTIONS)
    except re2.error as exc:
        raise PactRegexError(pattern, f"it is not valid regex syntax ({_reason(exc)})") from None
    return PactRegex(pattern, translated, compiled)


@functools.lru_cache(maxsize=256)
def compile_engine_pattern(pattern: str) -> PactRegex:
    """Compile a regex accord builds itself from pact input, already in RE2 syntax.

    For patterns derived from what a pact says rather than written by it (the regex a Java
    date format becomes): no dialect rewrite, but the same linear-time engine, so a hostile
    format cannot make matching slow either. Raises :class:`~accord.errors.PactRegexError`.
    """
    try:
        compiled = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raise PactRegexError(pattern, f"it is not valid regex syntax ({_reason(exc)})") from None
    return PactRegex(pattern, pattern, compiled)


def python_dialect(pattern: str) -> str:
    """``pattern`` in Python ``re`` syntax, for code that only reads its structure.

    The example generator walks ``re``'s parse tree to build a value; it never runs a match.
    The pattern is checked with :func:`compile_pact_regex` first, so a pattern the matchers
    would refuse is refused here too (with the same :class:`~accord.errors.PactRegexError`).
    """
    compile_pact_regex(pattern)
    return _rewrite(pattern, python=True)


def _reason(exc: Exception) -> str:
    detail = exc.args[0] if exc.args else exc
    if isinstance(detail, bytes):
        return detail.decode("utf-8", errors="replace")
    return str(detail)


def _refuse(pattern: str, what: str, construct: str, position: int, fix: str) -> PactRegexError:
    return PactRegexError(
        pattern,
        f"it uses {what} ({construct!r} at position {position}), which a linear-time regex "
        f"engine cannot run (accord runs pact regexes with RE2, as the Pact reference "
        f"implementation uses a linear-time engine); {fix}",
        construct,
    )


def _rewrite(pattern: str, *, python: bool) -> str:
    """Rewrite the Java/Ruby spellings pacts use into RE2 (or Python ``re``) syntax.

    Walks the pattern once, tracking escapes, ``\\Q…\\E`` quotes and character classes, so
    that ``[(?=]`` or ``\\\\1`` are not mistaken for the constructs they resemble.
    """
    out: list[str] = []
    i = 0
    in_class = False
    size = len(pattern)
    while i < size:
        char = pattern[i]
        if char == "\\":
            piece, i = _escape(pattern, i, in_class=in_class, python=python)
            out.append(piece)
        elif in_class:
            posix = _POSIX_IN_CLASS.match(pattern, i)
            if posix is not None and python:
                out.append(_PYTHON_CLASSES.get(posix.group(2), posix.group(0)))
                i = posix.end()
                continue
            if posix is not None:
                out.append(posix.group(0))
                i = posix.end()
                continue
            in_class = char != "]"
            out.append(char)
            i += 1
        elif char == "[":
            in_class = True
            start = i + 1
            if pattern.startswith("^", start):
                start += 1
            if pattern.startswith("]", start):
                start += 1  # a ']' right after '[' or '[^' is a literal
            out.append(pattern[i:start])
            i = start
        elif char == "(":
            piece, i = _group(pattern, i)
            out.append(piece)
        elif char in "*+?" or (char == "{" and _COUNTED.match(pattern, i)):
            piece, i = _quantifier(pattern, i)
            out.append(piece)
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _group(pattern: str, i: int) -> tuple[str, int]:
    """A group opening at ``i``: refused, renamed (``(?<name>`` -> ``(?P<name>``) or kept."""
    for opening, what, fix in _GROUPS_REFUSED:
        if pattern.startswith(opening, i):
            raise _refuse(pattern, what, opening, i, fix)
    if pattern.startswith("(?<", i):
        return "(?P<", i + 3
    if pattern.startswith("(?", i):
        return "(?", i + 2
    return "(", i + 1


def _quantifier(pattern: str, i: int) -> tuple[str, int]:
    """A quantifier at ``i`` with its lazy ``?``; a possessive ``+`` after it is refused."""
    counted = _COUNTED.match(pattern, i)
    end = counted.end() if counted is not None else i + 1
    if pattern.startswith("?", end):
        end += 1
    elif pattern.startswith("+", end):
        construct = pattern[i : end + 1]
        raise _refuse(pattern, "a possessive quantifier", construct, i, _POSSESSIVE_FIX)
    return pattern[i:end], end


def _escape(pattern: str, i: int, *, in_class: bool, python: bool) -> tuple[str, int]:
    """The escape sequence at ``i`` (a backslash) in the target dialect, and where it ends."""
    letter = pattern[i + 1 : i + 2]
    if not letter:
        return "\\", i + 1  # a trailing backslash: the engine reports it
    if letter == "Q":
        close = pattern.find("\\E", i + 2)
        end = len(pattern) if close < 0 else close
        quoted = "".join(_literal(c) for c in pattern[i + 2 : end])
        return quoted, (end if close < 0 else close + 2)
    if not in_class and letter in "123456789":
        raise _refuse(pattern, "a backreference", pattern[i : i + 2], i, _BACKREFERENCE_FIX)
    if not in_class and letter == "k":
        raise _refuse(pattern, "a named backreference", "\\k", i, _BACKREFERENCE_FIX)
    if letter in "pP":
        return _property(pattern, i, in_class=in_class, python=python)
    if letter == "h":
        if python:
            return (" \\t" if in_class else "[ \\t]"), i + 2
        return (_HORIZONTAL_SPACE if in_class else f"[{_HORIZONTAL_SPACE}]"), i + 2
    if letter == "H" and not in_class and not python:
        return f"[^{_HORIZONTAL_SPACE}]", i + 2
    unicode = _JAVA_UNICODE.match(pattern, i)
    if unicode is not None:
        return (unicode.group(0) if python else f"\\x{{{unicode.group(1)}}}"), unicode.end()
    hexadecimal = _RE2_HEX.match(pattern, i)
    if hexadecimal is not None and python:
        return f"\\U{int(hexadecimal.group(1), 16):08x}", hexadecimal.end()
    if letter in "Zz":
        return ("\\Z" if python else "\\z"), i + 2
    if letter == "e":
        return "\\x1b", i + 2
    if letter == "c" and pattern[i + 2 : i + 3].isascii() and pattern[i + 2 : i + 3].isalpha():
        return f"\\x{ord(pattern[i + 2].upper()) ^ 64:02x}", i + 3
    return pattern[i : i + 2], i + 2


def _property(pattern: str, i: int, *, in_class: bool, python: bool) -> tuple[str, int]:
    """``\\p{…}``/``\\P{…}``: Java's POSIX names become classes; Unicode ones stay (RE2)."""
    found = _PROPERTY.match(pattern, i)
    if found is None:
        return pattern[i : i + 2], i + 2
    negated = (found.group(1) == "P") != bool(found.group(3) and found.group(2).startswith("{^"))
    name = found.group(3) or found.group(2)
    posix = _POSIX.get(name)
    if python:
        inner = _PYTHON_CLASSES.get(posix or name)
        if inner is None or (negated and in_class):
            return found.group(0), found.end()
        if in_class:
            return inner, found.end()
        return (f"[^{inner}]" if negated else f"[{inner}]"), found.end()
    if posix is None:
        return found.group(0), found.end()
    item = f"[:{'^' if negated else ''}{posix}:]"
    return (item if in_class else f"[{item}]"), found.end()


def _literal(char: str) -> str:
    """One character of a ``\\Q…\\E`` quote, escaped so that it stands for itself."""
    if char.isalnum() or not char.isascii():
        return char
    if char.isprintable():
        return "\\" + char
    return f"\\x{ord(char):02x}"
