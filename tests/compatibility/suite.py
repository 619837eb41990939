"""The official Pact compatibility suite, read in place, and its fixture formats.

The suite lives beside the project (``../shared/pact-compatibility-suite`` from the repository
root, or wherever ``ACCORD_COMPATIBILITY_SUITE`` points); nothing of it is copied here. This module
knows the suite's data formats only (interaction tables, body fixtures, matcher fragments); each
``test_*.py`` module of this folder holds the step code of one group of features and drives a real
part of accord with what is read here.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


def _suite_root() -> Path:
    given = os.environ.get("ACCORD_COMPATIBILITY_SUITE")
    root = Path(given) if given else REPOSITORY_ROOT.parent / "shared" / "pact-compatibility-suite"
    if not (root / "features").is_dir() or not (root / "fixtures").is_dir():
        raise RuntimeError(
            f"the Pact compatibility suite is not at {root}: tests/compatibility reads its "
            "features and fixtures in place. Put pact-foundation/pact-compatibility-suite there "
            "(the repository's sibling folder shared/pact-compatibility-suite) or set "
            "ACCORD_COMPATIBILITY_SUITE to its folder."
        )
    return root


SUITE = _suite_root()
FEATURES = SUITE / "features"
FIXTURES = SUITE / "fixtures"


def feature(relative: str) -> str:
    """The absolute path of one feature file, e.g. ``feature("V1/http_provider.feature")``."""
    path = FEATURES / relative
    if not path.is_file():
        raise RuntimeError(f"feature file {path} is missing from the compatibility suite")
    return str(path)


# --- bodies ----------------------------------------------------------------------------------

_EXTENSION_TYPES = {
    ".json": "application/json",
    ".xml": "application/xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
}


@dataclass(frozen=True, slots=True)
class FixtureBody:
    """A body a feature names: its bytes and the content type the suite gives it."""

    raw: bytes
    content_type: str

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def is_json(self) -> bool:
        return _main_type(self.content_type) in {"application/json"} or _main_type(
            self.content_type
        ).endswith("+json")

    @property
    def is_text(self) -> bool:
        main = _main_type(self.content_type)
        return (
            main.startswith("text/")
            or self.is_json
            or main in {"application/xml", "application/x-www-form-urlencoded"}
            or main.endswith("+xml")
        )

    def base64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")


def _main_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def fixture_path(name: str) -> Path:
    path = FIXTURES / name
    if not path.is_file():
        raise RuntimeError(f"fixture {name!r} is missing from {FIXTURES}")
    return path


def _body_fixture(name: str) -> FixtureBody:
    """A ``*-body.xml`` fixture: ``<body><contentType/><contents eol=?/></body>``."""
    root = ET.parse(fixture_path(name)).getroot()
    content_type_node = root.find("contentType")
    contents_node = root.find("contents")
    text = (contents_node.text or "") if contents_node is not None else ""
    # CDATA sections sit on lines of their own inside <contents>: the layout is not the body
    text = text.strip()
    if contents_node is not None and contents_node.get("eol") == "CRLF":
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    content_type = (
        content_type_node.text.strip()
        if content_type_node is not None and content_type_node.text
        else "text/plain"
    )
    return FixtureBody(text.encode("utf-8"), content_type)


def body_from_cell(cell: str, content_type: str | None = None) -> FixtureBody | None:
    """The body a table cell or step argument describes, or ``None`` for an empty cell.

    ``file: NAME`` reads a fixture (``*-body.xml`` files carry their own content type, others
    take it from their extension), ``JSON: …`` and ``XML: …`` are inline documents, anything
    else is plain text. ``content_type``, when given (a table's ``content`` column), wins.
    """
    cell = cell.strip()
    if not cell:
        return None
    if cell.startswith("file:"):
        name = cell.removeprefix("file:").strip()
        if name.endswith("-body.xml"):
            body = _body_fixture(name)
        else:
            path = fixture_path(name)
            guessed = _EXTENSION_TYPES.get(path.suffix.lower()) or (
                mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            )
            body = FixtureBody(path.read_bytes(), guessed)
    elif cell.startswith("JSON:"):
        body = FixtureBody(cell.removeprefix("JSON:").strip().encode("utf-8"), "application/json")
    elif cell.startswith("XML:"):
        body = FixtureBody(cell.removeprefix("XML:").strip().encode("utf-8"), "application/xml")
    else:
        body = FixtureBody(cell.encode("utf-8"), "text/plain")
    if content_type:
        return FixtureBody(body.raw, content_type.strip())
    return body


# --- matching rules ---------------------------------------------------------------------------


def rules_fragment(cell: str) -> dict[str, Any]:
    """A matcher fragment: a ``*-matcher-*.json`` fixture name, or inline ``JSON: …``.

    V2 fragments are flat (``{"$.body.one": {...}}``); V3/V4 ones are keyed by category.
    """
    cell = cell.strip()
    if not cell:
        return {}
    if cell.startswith("JSON:"):
        loaded: dict[str, Any] = json.loads(cell.removeprefix("JSON:"))
        return loaded
    loaded = json.loads(fixture_path(cell).read_text(encoding="utf-8"))
    return loaded


def is_v2_fragment(fragment: Mapping[str, Any]) -> bool:
    return any(key.startswith("$") for key in fragment)


# --- headers and queries as the tables write them --------------------------------------------


def headers_from_cell(cell: str) -> list[tuple[str, str]]:
    """``'X-TEST: 1', 'Accept: a/b'`` → ``[("X-TEST", "1"), ("Accept", "a/b")]``.

    Each header is quoted with single quotes; a value may itself contain commas.
    """
    cell = cell.strip()
    headers: list[tuple[str, str]] = []
    if not cell:
        return headers
    parts: list[str] = []
    if cell.startswith("'"):
        inside = False
        current = ""
        for char in cell:
            if char == "'":
                if inside:
                    parts.append(current)
                    current = ""
                inside = not inside
            elif inside:
                current += char
    else:
        parts = [part for part in cell.split(",") if part.strip()]
    for part in parts:
        name, _, value = part.partition(":")
        headers.append((name.strip(), value.strip()))
    return headers


def query_from_cell(cell: str) -> list[tuple[str, str]]:
    """``a=1&b=2`` → ``[("a", "1"), ("b", "2")]`` (percent-decoded, order kept)."""
    cell = cell.strip()
    if not cell:
        return []
    return parse_qsl(cell, keep_blank_values=True)


# --- interaction tables ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HttpRow:
    """One row of a ``the following HTTP interactions have been defined`` table."""

    number: int
    method: str = "GET"
    path: str = "/"
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: FixtureBody | None = None
    request_rules: Mapping[str, Any] = field(default_factory=dict)
    status: int = 200
    response_headers: tuple[tuple[str, str], ...] = ()
    response_body: FixtureBody | None = None
    response_rules: Mapping[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return f"Interaction {self.number}"


def table_rows(datatable: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    """A Gherkin data table as dicts keyed by its header row."""
    header = [cell.strip() for cell in datatable[0]]
    return [dict(zip(header, (cell for cell in row), strict=True)) for row in datatable[1:]]


def http_rows(datatable: Sequence[Sequence[str]]) -> dict[int, HttpRow]:
    """The interactions of a table, by their ``No`` column."""
    rows: dict[int, HttpRow] = {}
    for index, row in enumerate(table_rows(datatable), start=1):
        number = int(row.get("No", "").strip() or index)
        rows[number] = http_row(row, number)
    return rows


def http_row(row: Mapping[str, str], number: int) -> HttpRow:
    def get(name: str) -> str:
        return row.get(name, "").strip()

    request_content = get("content") or None
    response_content = get("response content") or None
    return HttpRow(
        number=number,
        method=get("method") or "GET",
        path=get("path") or "/",
        query=tuple(query_from_cell(get("query"))),
        headers=tuple(headers_from_cell(get("headers"))),
        body=body_from_cell(get("body"), request_content),
        request_rules=rules_fragment(get("matching rules")),
        status=int(get("response") or 200),
        response_headers=tuple(headers_from_cell(get("response headers"))),
        response_body=body_from_cell(get("response body"), response_content),
        response_rules=rules_fragment(get("response matching rules")),
    )


def changes_from_table(datatable: Sequence[Sequence[str]]) -> dict[str, str]:
    """A one-row ``with the following changes`` table as ``{column: value}``."""
    rows = table_rows(datatable)
    if len(rows) != 1:
        raise ValueError(f"a table of changes has one row, this one has {len(rows)}")
    return {name: value.strip() for name, value in rows[0].items()}
