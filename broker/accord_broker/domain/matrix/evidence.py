"""accord's "why": what the broker knows about a failed or unverified integration.

The Pact Broker says *that* the pact between two versions failed or is unverified; a release
engineer then opens three pages to learn why. The broker already holds the answer: the failed
result's test results name the interactions that failed, and the pact version's history says
which provider version last verified this content. One sentence carries it.

What the reasons of one answer need is read for all of its rows at once (``rows``): one
statement for the newest result of every unverified row's content, one for every failed
result and one for the contents those failures name, so an answer with a hundred blocking rows
runs the same few statements as one with a single row (issue #20).
"""

import json
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import PactVersion, Verification, Version
from accord_broker.domain.matrix.resolve import ResolvedSelector
from accord_broker.domain.matrix.rows import MatrixRow
from accord_broker.domain.pacts.pact_content import with_interaction_ids
from accord_broker.domain.provider_contracts.results import comparison_failure_why, is_comparison

_MAX_NAMED = 3


class _FailedResult(NamedTuple):
    """What a failed result's reason reads of it (not the whole result, as an ORM object)."""

    pact_version_id: int
    test_results: Any
    verified_by: dict[str, Any] | None

    @classmethod
    def of(cls, verification: Verification | None) -> "_FailedResult":
        assert verification is not None
        return cls(
            verification.pact_version_id, verification.test_results, verification.verified_by
        )


@cache
def _newest_results() -> Select[int, bool, str]:
    """(content, success, provider version number) of each content's newest result.

    One backward seek per content (index ``(pact_version_id, id)``): as a GROUP BY, every
    result of each content was read, 15,000 for a hot one (issue #20). Built once, as the
    other two: building a statement and its cache key cost more than running these."""
    result = aliased(Verification)
    newest = select(
        select(func.max(result.id))
        .where(result.pact_version_id == PactVersion.id)
        .scalar_subquery()
    ).where(PactVersion.id.in_(bindparam("contents", expanding=True)))
    return (
        select(Verification.pact_version_id, Verification.success, Version.number)
        .join(Version, Version.id == Verification.provider_version_id)
        .where(Verification.id.in_(newest))
    )


@cache
def _failed_results() -> Select[int, int, Any, dict[str, Any] | None]:
    return select(
        Verification.id,
        Verification.pact_version_id,
        Verification.test_results,
        Verification.verified_by,
    ).where(Verification.id.in_(bindparam("ids", expanding=True)))


@cache
def _contents() -> Select[int, str]:
    return select(PactVersion.id, PactVersion.content).where(
        PactVersion.id.in_(bindparam("ids", expanding=True))
    )


class Evidence:
    """An ``Explain`` callable bound to one session (reads only what one reason needs)."""

    def __init__(self, session: Session, rows: Sequence[MatrixRow] = ()) -> None:
        self.session = session
        self._rows = rows
        self._read = False
        self._newest: dict[int, tuple[bool | None, str]] = {}
        self._names: dict[int, dict[str, str]] = {}
        self._results: dict[int, _FailedResult] = {}
        self._contents: dict[int, str] = {}
        self._unverified_contents: set[int] = set()
        """The contents of the rows without a result: their newest result was read at once."""

    def _read_for_rows(self) -> None:
        """Read what every row's reason needs, once, before the first reason is written."""
        if self._read:
            return
        self._read = True
        unverified = sorted({r.pact_version_id for r in self._rows if r.success is None})
        self._unverified_contents = set(unverified)
        if unverified:
            found = self.session.execute(_newest_results(), {"contents": unverified})
            self._newest = {row[0]: (row[1], row[2]) for row in found}
        failed = sorted(
            {r.verification_id for r in self._rows if r.success is False and r.verification_id}
        )
        if not failed:
            return
        results = self.session.execute(_failed_results(), {"ids": failed})
        self._results = {row[0]: _FailedResult(*row[1:]) for row in results}
        named = sorted(
            {v.pact_version_id for v in self._results.values() if _failures(v.test_results)}
        )
        if named:
            contents = self.session.execute(_contents(), {"ids": named})
            self._contents = {row[0]: row[1] for row in contents}

    def __call__(self, row: MatrixRow, provider: ResolvedSelector) -> str | None:
        self._read_for_rows()
        if row.success is False and row.verification_id is not None:
            return self._failed(row)
        if row.success is None:
            return self._unverified(row, provider)
        return None

    def _failed(self, row: MatrixRow) -> str:
        assert row.verification_id is not None
        verification = self._results.get(row.verification_id) or _FailedResult.of(
            self.session.get(Verification, row.verification_id)
        )
        results = verification.test_results
        entries = results if isinstance(results, list) else []
        failures = _failures(results)
        who = f"{row.provider_name} {row.provider_version_number}"
        if is_comparison(verification.verified_by):
            return comparison_failure_why(who, failures)
        if not failures:
            return f"{who} reported the verification as failed without per-interaction results"
        names = self._descriptions(row.pact_version_id)
        named = [_describe_failure(entry, names) for entry in failures[:_MAX_NAMED]]
        more = f" and {len(failures) - _MAX_NAMED} more" if len(failures) > _MAX_NAMED else ""
        total = f" of {len(entries)}" if entries else ""
        return f"{len(failures)}{total} interactions failed against {who}: {'; '.join(named)}{more}"

    def _descriptions(self, pact_version_id: int) -> dict[str, str]:
        if pact_version_id not in self._names:
            self._names[pact_version_id] = self._read_descriptions(pact_version_id)
        return self._names[pact_version_id]

    def _read_descriptions(self, pact_version_id: int) -> dict[str, str]:
        text = self._contents.get(pact_version_id)
        if text is None:
            pact_version = self.session.get(PactVersion, pact_version_id)
            if pact_version is None:
                return {}
            text = pact_version.content
        try:
            content = with_interaction_ids(json.loads(text))
        except (ValueError, TypeError):
            return {}
        found: dict[str, str] = {}
        for key in ("interactions", "messages"):
            for item in content.get(key) or []:
                if isinstance(item, dict) and isinstance(item.get("description"), str):
                    found[str(item.get("_id"))] = item["description"]
        return found

    def _unverified(self, row: MatrixRow, provider: ResolvedSelector) -> str:
        if not provider.version_exists:
            return (
                f"there is no such version of {row.provider_name}, so nothing has verified "
                f"this pact for it; deploy (and record) {row.provider_name} there first, or "
                f"ignore it with --ignore {row.provider_name}"
            )
        latest = self._newest_result(row.pact_version_id)
        if latest is None:
            return (
                f"no version of {row.provider_name} has verified this pact content yet; "
                "run the provider's verification against it"
            )
        outcome = "passed" if latest[0] else "failed"
        who = (
            f"{row.provider_name} {provider.version_number}"
            if provider.version_number
            else f"the selected versions of {row.provider_name}"
        )
        return (
            f"{who} has not verified this pact content; the newest result for it is from "
            f"{row.provider_name} {latest[1]} ({outcome})"
        )

    def _newest_result(self, pact_version_id: int) -> tuple[bool | None, str] | None:
        """(success, provider version number) of the content's newest result, if any."""
        if pact_version_id in self._newest or pact_version_id in self._unverified_contents:
            return self._newest.get(pact_version_id)
        found = self.session.execute(
            select(Verification.success, Version.number)
            .join(Version, Version.id == Verification.provider_version_id)
            .where(Verification.pact_version_id == pact_version_id)
            .order_by(Verification.id.desc())
            .limit(1)
        ).first()
        return None if found is None else (found[0], found[1])


def _failures(results: Any) -> list[dict[str, Any]]:
    entries = results if isinstance(results, list) else []
    return [e for e in entries if isinstance(e, dict) and e.get("success") is False]


def _describe_failure(entry: dict[str, Any], names: dict[str, str]) -> str:
    interaction = str(entry.get("interactionId", ""))
    label = names.get(interaction) or entry.get("interactionDescription") or interaction or "?"
    mismatches = entry.get("mismatches")
    detail = ""
    if isinstance(mismatches, list) and mismatches:
        first = mismatches[0]
        if isinstance(first, dict):
            text = first.get("description") or first.get("mismatch") or ""
            detail = f" ({str(text)[:160]})" if text else ""
    return f"'{label}'{detail}"
