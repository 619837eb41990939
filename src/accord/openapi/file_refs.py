"""``$ref`` to other files, for documents read from disk: resolved, then bundled into one.

A provider often splits its document (``$ref: './schemas/user.yaml#/User'``). The offline
commands read such a document from its path: each referenced file is located relative to the
file that refers to it (``referencing`` joins the URIs and retrieves each file once), copied
under ``/x-accord-files/<path relative to the document>`` of the main document, and every
reference is rewritten to point there. The rest of accord then sees one self-contained
document, and a finding's JSON pointer still names the file
(``/x-accord-files/schemas~1user.yaml/User``).

Remote references (``http://...``) are refused: the comparison never uses the network. A
document given as text (a broker's provider contract) has no place to resolve files from, so
:func:`refuse_external_refs` refuses any reference that leaves it, saying to bundle it first.
"""

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from accord.errors import OpenApiError
from accord.openapi.yaml_text import parse_yaml

#: Where the referenced files' contents are placed in the bundled document (an extension
#: key, which OpenAPI allows at the root).
BUNDLE_KEY = "x-accord-files"

BUNDLE_HINT = (
    "bundle the document into one file first (e.g. `npx @redocly/cli bundle openapi.yaml -o "
    "bundled.yaml`), or check it offline with `accord openapi check`, which follows references "
    "to local files"
)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in ``node`` with the JSON pointer of the object holding it."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref, pointer
        for key, child in node.items():
            yield from _refs(child, f"{pointer}/{_escape(str(key))}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _refs(child, f"{pointer}/{index}")


def refuse_external_refs(data: Any, source: str) -> None:
    """Raise :class:`OpenApiError` at the first ``$ref`` that leaves a document given as text."""
    for ref, pointer in _refs(data):
        if not ref.startswith("#"):
            remote = urlsplit(ref).scheme in {"http", "https"}
            raise OpenApiError(
                source,
                pointer,
                f"the reference {ref!r} points to "
                + ("a remote document" if remote else "another file")
                + "; a document published as one file must contain everything it refers to",
                BUNDLE_HINT,
            )


def bundle_file_refs(data: Any, path: str | os.PathLike[str]) -> Any:
    """``data`` (read from ``path``) with every reference to another local file resolved."""
    return _Bundler(Path(path)).bundle(data)


class _Bundler:
    def __init__(self, path: Path) -> None:
        self.source = os.fspath(path)
        self.root = path.resolve()
        self.root_uri = self.root.as_uri()
        self.registry: Registry[Any] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]  # attrs alias
        self.keys: dict[str, str] = {}
        self.files: dict[str, Any] = {}

    def bundle(self, data: Any) -> Any:
        if not any(not ref.startswith("#") for ref, _ in _refs(data)):
            return data
        bundled = self._rewrite(data, self.root_uri, "", "", self.source)
        if isinstance(bundled, dict):
            bundled[BUNDLE_KEY] = self.files
        return bundled

    def _retrieve(self, uri: str) -> Resource[Any]:
        file = Path(unquote(urlsplit(uri).path))
        text = file.read_text(encoding="utf-8")
        return Resource.opaque(parse_yaml(text, self._label(file)))

    def _label(self, file: Path) -> str:
        """A file as people name it: relative to the main document's folder when inside it."""
        try:
            return file.relative_to(self.root.parent).as_posix()
        except ValueError:
            return os.path.relpath(file, self.root.parent)

    def _rewrite(self, node: Any, base: str, prefix: str, pointer: str, label: str) -> Any:
        """A copy of ``node`` (from the file at ``base``, placed at ``prefix``) with its
        references rewritten to point inside the bundled document."""
        if isinstance(node, Mapping):
            copy: dict[str, Any] = {}
            for key, child in node.items():
                here = f"{pointer}/{_escape(str(key))}"
                if key == "$ref" and isinstance(child, str):
                    copy[key] = self._target(child, base, prefix, pointer, label)
                else:
                    copy[key] = self._rewrite(child, base, prefix, here, label)
            return copy
        if isinstance(node, list):
            return [
                self._rewrite(c, base, prefix, f"{pointer}/{i}", label) for i, c in enumerate(node)
            ]
        return node

    def _target(self, ref: str, base: str, prefix: str, pointer: str, label: str) -> str:
        if ref.startswith("#"):
            return "#" + prefix + ref[1:]
        address, fragment = urldefrag(urljoin(base, ref))
        scheme = urlsplit(address).scheme
        if scheme != "file":
            raise OpenApiError(
                label,
                pointer,
                f"the reference {ref!r} is remote ({scheme}); accord does not fetch documents "
                "over the network",
                "download the referenced document, save it next to this one and refer to it by "
                "a relative path (or bundle everything into one file)",
            )
        if address == self.root_uri:
            return "#" + fragment
        key = self.keys.get(address)
        if key is None:
            key = self._load(address, ref, pointer, label)
        return f"#/{BUNDLE_KEY}/{_escape(key)}{fragment}"

    def _load(self, address: str, ref: str, pointer: str, label: str) -> str:
        file = Path(unquote(urlsplit(address).path))
        key = self._label(file)
        try:
            contents = self.registry.resolver().lookup(address).contents
        except Unresolvable as exc:
            cause: BaseException | None = exc
            while cause is not None and not isinstance(cause, OSError | OpenApiError):
                cause = cause.__cause__ or cause.__context__
            if isinstance(cause, OpenApiError):
                raise cause from exc
            reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else exc
            raise OpenApiError(
                label,
                pointer,
                f"the reference {ref!r} points to the file {key}, which cannot be read ({reason})",
                f"the path is relative to {label}: correct the $ref or add the file",
            ) from exc
        self.keys[address] = key
        self.files[key] = None  # reserved first: files may refer to each other in a cycle
        self.files[key] = self._rewrite(contents, address, f"/{BUNDLE_KEY}/{_escape(key)}", "", key)
        return key
