"""A readable difference between two pact contents (``pb:diff`` and the other diff routes).

The answer is a unified diff of the pacts' interactions written as canonical JSON (sorted keys,
two-space indent), as before; what changed is how it is computed. A general line diff
(``difflib``) is quadratic on large inputs: two 20,000-interaction pacts once cost one read-only
request 525 s of CPU. Here interactions are the unit: each is written once as canonical JSON,
both lists are sorted canonically (a pact's meaning, and its content hash, ignore interaction
order), and one merge walk pairs equal interactions and interactions with the same description
and provider states; only such a pair is line-diffed, and only while it is small. The cost is
O(n log n) in the number of interactions and linear in their size, and it is bounded anyway:
pacts larger than ``diff_max_bytes`` get 413, a diff that overruns ``diff_time_budget_seconds``
is abandoned with 422, and answers are cached by the two content hashes.
"""

import difflib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from accord_broker.domain.pacts.pact_content import INTERACTION_LISTS
from accord_broker.errors import DiffTooLargeError, DiffTooSlowError
from accord_broker.settings import Settings

CONTEXT = 3
"""Unchanged lines shown around each change, as ``diff -u``."""
PAIR_LINE_LIMIT = 2000
"""A changed interaction longer than this is shown as removed and added, not line-diffed."""


@dataclass(frozen=True, slots=True)
class DiffLimits:
    """How much one diff request may cost (``ACCORD_BROKER_DIFF_*`` settings)."""

    max_bytes: int = 1024 * 1024
    time_budget_seconds: float = 5.0


def diff_limits(settings: Settings) -> DiffLimits:
    """The limits ``settings`` set (``diff_max_bytes``, ``diff_time_budget_seconds``)."""
    return DiffLimits(settings.diff_max_bytes, settings.diff_time_budget_seconds)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            message = (
                f"the diff took longer than its time budget of {self.seconds:g} s and was "
                "abandoned; compare the two pacts locally with `accord pact diff`, or raise "
                "ACCORD_BROKER_DIFF_TIME_BUDGET_SECONDS"
            )
            raise DiffTooSlowError(message, errors={"diff": [message]})


Opcode = tuple[str, int, int, int, int]
"""``(tag, i1, i2, j1, j2)`` as difflib's: old lines ``[i1, i2)`` become new ``[j1, j2)``."""


@dataclass(frozen=True, slots=True)
class _Item:
    """One interaction: its identity (description and states), canonical text and lines."""

    identity: str
    canonical: str
    lines: list[str]


def _item(interaction: Any) -> _Item:
    canonical = json.dumps(interaction, sort_keys=True, separators=(",", ":"))
    if isinstance(interaction, dict):
        states = interaction.get("providerStates", interaction.get("providerState"))
        identity = json.dumps([interaction.get("description"), states], sort_keys=True)
    else:
        identity = canonical
    pretty = json.dumps(interaction, indent=2, sort_keys=True).splitlines()
    return _Item(identity, canonical, ["    " + line for line in pretty])


@dataclass(frozen=True, slots=True)
class _Placed:
    """One interaction list of a document: where its items start, and each item's first line."""

    start: int
    items: list[tuple[_Item, int]]


def _document(content: dict[str, Any]) -> tuple[list[str], dict[str, _Placed]]:
    """The canonical lines of ``content``'s interaction lists, and where each item starts."""
    lines = ["{"]
    placed: dict[str, _Placed] = {}
    keys = sorted(key for key in INTERACTION_LISTS if key in content)
    for index, key in enumerate(keys):
        value = content[key]
        items = sorted(
            (_item(entry) for entry in value) if isinstance(value, list) else [],
            key=lambda item: (item.identity, item.canonical),
        )
        lines.append(f'  "{key}": [')
        section = _Placed(len(lines), [])
        for position, item in enumerate(items):
            section.items.append((item, len(lines)))
            body = list(item.lines)
            if position < len(items) - 1:
                body[-1] += ","
            lines.extend(body)
        lines.append("  ]" + ("," if index < len(keys) - 1 else ""))
        placed[key] = section
    lines.append("}")
    return lines, placed


def _pair_opcodes(
    old: list[str], new: list[str], i: int, j: int, deadline: _Deadline
) -> Iterator[Opcode]:
    """Opcodes for one interaction of each side, offset to their places in the documents."""
    if old == new:
        yield ("equal", i, i + len(old), j, j + len(new))
        return
    if old[:-1] == new[:-1]:  # only the separating comma differs
        yield ("equal", i, i + len(old) - 1, j, j + len(new) - 1)
        yield ("replace", i + len(old) - 1, i + len(old), j + len(new) - 1, j + len(new))
        return
    if len(old) + len(new) > PAIR_LINE_LIMIT:
        yield ("replace", i, i + len(old), j, j + len(new))
        return
    deadline.check()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        yield (tag, i + a1, i + a2, j + b1, j + b2)


def _order(entry: tuple[_Item, int]) -> tuple[str, str]:
    return (entry[0].identity, entry[0].canonical)


def _list_opcodes(
    documents: tuple[list[str], list[str]], olds: _Placed, news: _Placed, deadline: _Deadline
) -> Iterator[Opcode]:
    """One merge walk over two canonically sorted interaction lists."""
    old_lines, new_lines = documents
    a = b = 0
    i, j = olds.start, news.start  # where the next old and new items begin
    while a < len(olds.items) or b < len(news.items):
        if (a + b) % 256 == 0:
            deadline.check()
        old = olds.items[a] if a < len(olds.items) else None
        new = news.items[b] if b < len(news.items) else None
        if old is not None and new is not None and old[0].identity == new[0].identity:
            i, j = old[1] + len(old[0].lines), new[1] + len(new[0].lines)
            pair = (old_lines[old[1] : i], new_lines[new[1] : j])  # with their commas
            yield from _pair_opcodes(*pair, old[1], new[1], deadline)
            a, b = a + 1, b + 1
        elif old is not None and (new is None or _order(old) < _order(new)):
            i = old[1] + len(old[0].lines)
            yield ("delete", old[1], i, j, j)
            a += 1
        else:
            assert new is not None
            j = new[1] + len(new[0].lines)
            yield ("insert", i, i, new[1], j)
            b += 1


def _opcodes(
    old_lines: list[str],
    old_placed: dict[str, _Placed],
    new_lines: list[str],
    new_placed: dict[str, _Placed],
    deadline: _Deadline,
) -> list[Opcode]:
    """Line opcodes tiling both documents, computed interaction by interaction; the lines
    between interaction lists (keys, brackets) fill the gaps."""
    tiled: list[Opcode] = []
    i = j = 0
    for key in sorted(set(old_placed) & set(new_placed)):
        documents = (old_lines, new_lines)
        for tag, i1, i2, j1, j2 in _list_opcodes(
            documents, old_placed[key], new_placed[key], deadline
        ):
            if i1 > i or j1 > j:
                _append(tiled, _gap(documents, i, i1, j, j1))
            _append(tiled, (tag, i1, i2, j1, j2))
            i, j = i2, j2
    if i < len(old_lines) or j < len(new_lines):
        _append(tiled, _gap((old_lines, new_lines), i, len(old_lines), j, len(new_lines)))
    return tiled


def _gap(documents: tuple[list[str], list[str]], i1: int, i2: int, j1: int, j2: int) -> Opcode:
    old, new = documents
    return ("equal" if old[i1:i2] == new[j1:j2] else "replace", i1, i2, j1, j2)


def _append(opcodes: list[Opcode], opcode: Opcode) -> None:
    tag, i1, i2, j1, j2 = opcode
    if i1 == i2 and j1 == j2:
        return
    if tag in ("delete", "insert"):
        tag = "replace" if i1 != i2 and j1 != j2 else ("delete" if j1 == j2 else "insert")
    if opcodes and opcodes[-1][0] == tag:
        last = opcodes[-1]
        opcodes[-1] = (tag, last[1], i2, last[3], j2)
    else:
        opcodes.append((tag, i1, i2, j1, j2))


def _hunks(opcodes: list[Opcode]) -> Iterator[list[Opcode]]:
    """Changes grouped with ``CONTEXT`` lines around them (difflib's grouping)."""
    if not opcodes or all(op[0] == "equal" for op in opcodes):
        return
    codes = list(opcodes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = (tag, max(i1, i2 - CONTEXT), i2, max(j1, j2 - CONTEXT), j2)
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = (tag, i1, min(i2, i1 + CONTEXT), j1, min(j2, j1 + CONTEXT))
    group: list[Opcode] = []
    for tag, a1, i2, b1, j2 in codes:
        i1, j1 = a1, b1
        if tag == "equal" and i2 - i1 > 2 * CONTEXT:
            group.append((tag, i1, min(i2, i1 + CONTEXT), j1, min(j2, j1 + CONTEXT)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - CONTEXT), max(j1, j2 - CONTEXT)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"


def _unified(old: list[str], new: list[str], opcodes: list[Opcode], names: tuple[str, str]) -> str:
    out: list[str] = []
    for group in _hunks(opcodes):
        if not out:
            out += [f"--- {names[0]}", f"+++ {names[1]}"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in old[i1:i2]]
                continue
            out += ["-" + line for line in old[i1:i2]]
            out += ["+" + line for line in new[j1:j2]]
    return "\n".join(out)


def diff_pacts(
    older: dict[str, Any],
    newer: dict[str, Any],
    *,
    older_name: str,
    newer_name: str,
    limits: DiffLimits | None = None,
) -> str:
    """A unified diff of the interactions of two pacts; empty when they ask the same things.

    Raises :class:`DiffTooSlowError` when ``limits.time_budget_seconds`` runs out.
    """
    deadline = _Deadline((limits or DiffLimits()).time_budget_seconds)
    old_lines, old_placed = _document(older)
    deadline.check()
    new_lines, new_placed = _document(newer)
    deadline.check()
    opcodes = _opcodes(old_lines, old_placed, new_lines, new_placed, deadline)
    return _unified(old_lines, new_lines, opcodes, (older_name, newer_name))


class StoredPact(Protocol):
    """What :func:`diff_stored_pacts` needs of a pact: its content hash and stored JSON."""

    @property
    def sha(self) -> str: ...

    @property
    def content(self) -> str: ...


_CACHE: OrderedDict[tuple[str, str, str, str], str] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = threading.Lock()


def diff_stored_pacts(
    older: StoredPact, newer: StoredPact, *, older_name: str, newer_name: str, limits: DiffLimits
) -> str:
    """:func:`diff_pacts` of two stored pact versions: size-checked before they are parsed,
    and cached by their content hashes (a diff of the same two contents never changes)."""
    for side in (older, newer):
        size = len(side.content.encode("utf-8"))
        if size > limits.max_bytes:
            message = (
                f"pact version {side.sha} is {size} bytes, more than the diff limit of "
                f"{limits.max_bytes} bytes; compare the two pacts locally with "
                "`accord pact diff`, or raise ACCORD_BROKER_DIFF_MAX_BYTES"
            )
            raise DiffTooLargeError(message, errors={"diff": [message]})
    key = (older.sha, newer.sha, older_name, newer_name)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    text = diff_pacts(
        json.loads(older.content),
        json.loads(newer.content),
        older_name=older_name,
        newer_name=newer_name,
        limits=limits,
    )
    with _CACHE_LOCK:
        _CACHE[key] = text
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return text
