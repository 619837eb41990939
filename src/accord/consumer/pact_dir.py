"""The pact directory, owned by one pytest session.

Why not let pact-python merge into ``pacts/`` directly? Because its merge keeps whatever an
earlier run left there (a deleted test's interaction lives on) and two xdist workers merging into
the same file race. So each test *stages* its own small pact under a session-private directory
(``<pact dir>/.accord-session-<id>/<worker>/<piece>/``), and at the end of the session the
controller merges the pieces (:mod:`accord.consumer.merge`) and replaces the pact files:

* every pact file of the directory is rewritten from this session's tests only, so stale
  interactions and pacts of deleted tests disappear;
* the old files stay until the session ends, so an interrupted run does not leave a half-empty
  directory behind;
* only files that look like pacts (JSON objects with ``consumer.name`` and ``provider.name``)
  are ever deleted.
"""

import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from accord.consumer.merge import PactPiece, group_by_pair, merge_pieces
from accord.errors import PactMergeConflictError

STAGING_PREFIX = ".accord-session-"
#: Staging directories of crashed sessions older than this are swept away.
ABANDONED_AFTER_SECONDS = 24 * 3600


class WritablePact(Protocol):
    def write_file(self, directory: Path | str | None = None, *, overwrite: bool = False) -> None:
        """Write the pact as ``<consumer>-<provider>.json`` into ``directory``."""


@dataclass
class FinalizedPacts:
    """What the end of a session did to the pact directory."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    conflicts: list[PactMergeConflictError] = field(default_factory=list)


def pact_file_name(consumer: str, provider: str) -> str:
    """The file name pact-python and the Pact CLIs use for a pair."""
    return f"{consumer}-{provider}.json"


class PactDirectory:
    """A pact directory and this session's staging area inside it."""

    def __init__(self, root: Path, session_id: str, worker_id: str = "controller") -> None:
        self.root = root
        self.session_id = session_id
        self.worker_id = worker_id

    @property
    def staging_root(self) -> Path:
        return self.root / f"{STAGING_PREFIX}{self.session_id}"

    def stage(self, pact: WritablePact, origin: str) -> Path:
        """Write one test's pact into the staging area; ``origin`` names the test."""
        piece_dir = self.staging_root / _safe(self.worker_id) / uuid.uuid4().hex
        pact_dir = piece_dir / "pact"
        pact_dir.mkdir(parents=True)
        pact.write_file(pact_dir, overwrite=True)
        (piece_dir / "origin.json").write_text(json.dumps({"nodeid": origin}), encoding="utf-8")
        return piece_dir

    def staged_pieces(self) -> list[PactPiece]:
        """Every piece staged by any worker of this session, in a stable order."""
        pieces = []
        for origin_file in sorted(self.staging_root.glob("*/*/origin.json")):
            origin = json.loads(origin_file.read_text(encoding="utf-8"))["nodeid"]
            for pact_file in sorted((origin_file.parent / "pact").glob("*.json")):
                document = json.loads(pact_file.read_text(encoding="utf-8"))
                pieces.append(PactPiece(document=document, origin=str(origin)))
        return pieces

    def finalize(self) -> FinalizedPacts:
        """Replace the directory's pact files by the merge of this session's pieces."""
        result = FinalizedPacts()
        self.root.mkdir(parents=True, exist_ok=True)
        keep: set[Path] = set()
        for (consumer, provider), pieces in sorted(group_by_pair(self.staged_pieces()).items()):
            try:
                document = merge_pieces(pieces)
            except PactMergeConflictError as conflict:
                result.conflicts.append(conflict)
                continue
            target = self.root / pact_file_name(consumer, provider)
            _write_atomically(target, document)
            keep.add(target)
            result.written.append(target)
        for candidate in sorted(self.root.glob("*.json")):
            if candidate not in keep and _looks_like_pact(candidate):
                candidate.unlink()
                result.removed.append(candidate)
        shutil.rmtree(self.staging_root, ignore_errors=True)
        self._sweep_abandoned_staging()
        return result

    def _sweep_abandoned_staging(self) -> None:
        cutoff = time.time() - ABANDONED_AFTER_SECONDS
        for leftover in self.root.glob(f"{STAGING_PREFIX}*"):
            try:
                if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
                    shutil.rmtree(leftover, ignore_errors=True)
            except OSError:
                continue


def _looks_like_pact(path: Path) -> bool:
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    if not isinstance(document, dict):
        return False
    consumer, provider = document.get("consumer"), document.get("provider")
    return isinstance(consumer, dict) and "name" in consumer and isinstance(provider, dict)


def _write_atomically(target: Path, document: dict[str, Any]) -> None:
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, target)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "_"
