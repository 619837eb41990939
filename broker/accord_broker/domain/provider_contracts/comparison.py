"""Comparing a consumer pact with a provider contract, once per pair of contents.

A comparison is pure work on two stored texts (``accord.openapi.compare_pact``), so its verdict
is stored per (pact content, document content) and never computed again: a republished
identical pact or document costs one primary-key lookup. Parsed documents are kept in a small
per-process cache by content hash, because validating an OpenAPI document costs more than
comparing a pact with it.
"""

import json
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.openapi import CompareOptions, OpenApiDocument, PactComparer, parse_openapi_text
from accord.pact import parse_pact
from accord_broker.db.models import PactVersion
from accord_broker.db.provider_contract_models import (
    ProviderContractComparison,
    ProviderContractContent,
)
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore_many

_DOCUMENTS_KEPT = 32


class _DocumentCache:
    """The parsed form of the most recently used documents, by the hash of their text.

    Not by row id: ids are reused (SQLite hands the highest id out again once its row is
    deleted, e.g. with its provider; a database emptied with ``RESTART IDENTITY`` starts over),
    and a process would then compare pacts with the document that used to have the id."""

    def __init__(self) -> None:
        self._documents: OrderedDict[str, OpenApiDocument] = OrderedDict()
        self._lock = Lock()

    def remember(self, sha: str, document: OpenApiDocument) -> None:
        with self._lock:
            self._documents[sha] = document
            self._documents.move_to_end(sha)
            while len(self._documents) > _DOCUMENTS_KEPT:
                self._documents.popitem(last=False)

    def get(self, content: ProviderContractContent) -> OpenApiDocument:
        with self._lock:
            found = self._documents.get(content.sha)
        if found is not None:
            return found
        document = parse_openapi_text(content.content, source="provider contract")
        self.remember(content.sha, document)
        return document


DOCUMENTS = _DocumentCache()


@dataclass(frozen=True, slots=True)
class Verdict:
    """A stored comparison: compatible or not, and every finding (as JSON objects)."""

    compatible: bool
    findings: list[dict[str, Any]]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("severity") == "error"]


def _unreadable_pact(pact_version: PactVersion, exc: Exception) -> Verdict:
    """A stored pact accord cannot read is incompatible, with the reason as its one finding."""
    return Verdict(
        False,
        [
            {
                "code": "pact.unreadable",
                "severity": "error",
                "interaction": "",
                "pactPath": "$",
                "operation": None,
                "openapiPointer": None,
                "expected": "a pact accord can read",
                "documented": "",
                "message": f"the pact {pact_version.sha} cannot be compared: {exc}",
            }
        ],
    )


def _compare(pact_version: PactVersion, comparer: PactComparer) -> Verdict:
    try:
        pact = parse_pact(json.loads(pact_version.content), source=f"pact {pact_version.sha}")
        comparison = comparer.compare(pact)
        return Verdict(comparison.compatible, [f.to_json() for f in comparison.findings])
    except (AccordError, ValueError) as exc:
        return _unreadable_pact(pact_version, exc)


def compare_contents(
    session: Session, pact_version: PactVersion, content: ProviderContractContent
) -> Verdict:
    """The verdict for this pair of contents, computed and stored the first time it is asked."""
    return compare_many(session, [pact_version], content)[pact_version.id]


@dataclass(slots=True)
class ComparisonBudget:
    """How many comparisons a publication makes before it answers: always the first
    ``minimum`` (so a small broker, the demo and the tests get every verdict at once), then
    more while less than ``seconds`` have passed since the first; the rest go to the worker."""

    minimum: int
    seconds: float
    started: float = field(default_factory=time.perf_counter)
    compared: int = 0

    def allows_another(self) -> bool:
        return self.compared < self.minimum or time.perf_counter() - self.started < self.seconds


def stored_verdicts(
    session: Session, pact_ids: Sequence[int], content: ProviderContractContent
) -> dict[int, Verdict]:
    """The verdicts already stored for these pacts with the document, by pact version id."""
    return {
        int(pact_id): Verdict(bool(compatible), list(findings))
        for pact_id, compatible, findings in session.execute(
            select(
                ProviderContractComparison.pact_version_id,
                ProviderContractComparison.compatible,
                ProviderContractComparison.findings,
            ).where(
                ProviderContractComparison.content_id == content.id,
                ProviderContractComparison.pact_version_id.in_(pact_ids),
            )
        ).all()
    }


def compute_verdicts(
    pact_versions: Sequence[PactVersion],
    content: ProviderContractContent,
    budget: ComparisonBudget | None = None,
) -> dict[int, Verdict]:
    """Compare each pact with the document (no storage), in order, while ``budget`` allows."""
    if not pact_versions:
        return {}
    comparer = PactComparer(DOCUMENTS.get(content), CompareOptions())
    verdicts: dict[int, Verdict] = {}
    for pact_version in pact_versions:
        if budget is not None:
            if not budget.allows_another():
                break
            budget.compared += 1
        verdicts[pact_version.id] = _compare(pact_version, comparer)
    return verdicts


def store_verdicts(
    session: Session, verdicts: dict[int, Verdict], content: ProviderContractContent
) -> None:
    """Store computed verdicts in one batched insert (a pair stored meanwhile is kept)."""
    now = utc_now()
    rows: list[dict[str, Any]] = [
        {
            "pact_version_id": pact_id,
            "content_id": content.id,
            "compatible": verdict.compatible,
            "findings": verdict.findings,
            "created_at": now,
        }
        for pact_id, verdict in verdicts.items()
    ]
    insert_ignore_many(session, ProviderContractComparison, rows, ["pact_version_id", "content_id"])


def compare_many(
    session: Session,
    pact_versions: Sequence[PactVersion],
    content: ProviderContractContent,
    budget: ComparisonBudget | None = None,
) -> dict[int, Verdict]:
    """The verdict of each pact with one document, by pact version id: the stored ones read in
    one query, the others computed (while ``budget`` allows: a pact left out has no entry)
    and stored in one batched insert."""
    verdicts = stored_verdicts(session, [p.id for p in pact_versions], content)
    missing = [p for p in pact_versions if p.id not in verdicts]
    computed = compute_verdicts(missing, content, budget)
    store_verdicts(session, computed, content)
    return {**verdicts, **computed}
