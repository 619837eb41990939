"""A comparison enters the matrix as a verification result of the pact by the provider version.

can-i-deploy, the matrix, pending status and badges already read verification results; a
compatible pair whose provider passed its own tests is a successful result, anything else a
failed one whose ``testResults`` carry the findings. The result's ``verifiedBy`` marks it as a
comparison (and which document and self-verification it came from), which is how the matrix,
its reasons and the UI tell the two sources apart, and how an unchanged pair is recognised and
not recorded twice.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import __version__ as accord_version
from accord_broker.db.models import LatestVerification, PactVersion, Verification, Version
from accord_broker.db.provider_contract_models import (
    ProviderContractContent,
    ProviderContractPublication,
)
from accord_broker.domain.provider_contracts.comparison import Verdict, compare_many
from accord_broker.domain.verifications.verifications import (
    VerificationRequest,
    record_verifications,
)

IMPLEMENTATION = "accord provider contract comparison"
"""``verifiedBy.implementation`` of a result that is a comparison, not a replay."""

SELF_VERIFICATION = "provider self-verification"
_MAX_WHY_FINDINGS = 3
"""The ``interactionDescription`` of the entry saying the provider's own tests failed."""


def is_comparison(verified_by: Any) -> bool:
    """Whether a result's ``verifiedBy`` says it came from a provider contract comparison."""
    return isinstance(verified_by, dict) and verified_by.get("implementation") == IMPLEMENTATION


def _verified_by(
    publication: ProviderContractPublication, content: ProviderContractContent
) -> dict[str, Any]:
    return {
        "implementation": IMPLEMENTATION,
        "version": accord_version,
        "providerContract": {
            "sha": content.sha,
            "selfVerificationSuccess": publication.self_verification_success,
            "verifier": publication.self_verification.get("verifier"),
        },
    }


def _mismatch(finding: dict[str, Any]) -> dict[str, Any]:
    where = finding.get("operation") or "no operation"
    pointer = finding.get("openapiPointer")
    provider = f"{where} {pointer}" if pointer else where
    return {
        "attribute": "providerContract",
        "identifier": finding.get("pactPath"),
        "description": (
            f"{finding.get('code')} at {finding.get('pactPath')}: {finding.get('message')} "
            f"(provider contract: {provider})"
        ),
        "finding": finding,
    }


def results_of(verdict: Verdict, publication: ProviderContractPublication) -> list[Any]:
    """One entry per interaction with an error (its findings as mismatches), and one for a
    failed self-verification, in the shape verifiers publish ``testResults``."""
    entries: list[dict[str, Any]] = []
    if not publication.self_verification_success:
        verifier = publication.self_verification.get("verifier") or "its verifier"
        entries.append(
            {
                "interactionDescription": SELF_VERIFICATION,
                "success": False,
                "mismatches": [
                    {
                        "attribute": "selfVerification",
                        "description": (
                            "the provider's own tests of its provider contract failed "
                            f"(reported by {verifier}), so the document is not evidence of "
                            "what the provider does"
                        ),
                    }
                ],
            }
        )
    by_interaction: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in verdict.errors:
        by_interaction[str(finding.get("interaction") or "")].append(finding)
    for interaction, findings in by_interaction.items():
        entries.append(
            {
                "interactionDescription": interaction,
                "success": False,
                "mismatches": [_mismatch(f) for f in findings],
            }
        )
    return entries


@dataclass(frozen=True, slots=True)
class RecordedComparisons:
    """The verdict of each pact (by pact version id) and the results recorded from them (a
    pair whose current result already said exactly this records none): the ones webhooks
    announce."""

    verdicts: dict[int, Verdict]
    recorded: list[Verification]


def record_comparison(
    session: Session,
    pact_version: PactVersion,
    *,
    provider_version: Version,
    publication: ProviderContractPublication,
    content: ProviderContractContent,
) -> RecordedComparisons:
    """Compare (or look up) the pair and record it as the provider version's result for the
    pact, unless the newest result for this pair already says exactly this."""
    return record_comparisons(
        session,
        [pact_version],
        provider_version=provider_version,
        publication=publication,
        content=content,
    )


def _current_verified_by(
    session: Session, provider_version: Version, pact_ids: list[int]
) -> dict[int, Any]:
    """``verifiedBy`` of the provider version's current result for each pact that has one."""
    rows = session.execute(
        select(LatestVerification.pact_version_id, Verification.verified_by)
        .join(Verification, Verification.id == LatestVerification.verification_id)
        .where(
            LatestVerification.provider_version_id == provider_version.id,
            LatestVerification.pact_version_id.in_(pact_ids),
        )
    ).all()
    return {int(pact_id): verified_by for pact_id, verified_by in rows}


def _lock_pacts(session: Session, pact_ids: list[int]) -> None:
    """Take the pact versions' row locks before the current results are read (PostgreSQL;
    SQLite serialises its writers already).

    Three paths record comparisons: the publication, the background worker and a pact's
    publication. Each reads the current result to skip a pair that already says this, then
    records; read before the lock, two of them could both find nothing and both record the
    pair. ``record_verifications`` takes these same locks, in the same order, to number the
    results, so holding them from the read on adds no new lock order."""
    session.execute(
        select(PactVersion.id)
        .where(PactVersion.id.in_(pact_ids))
        .order_by(PactVersion.id)
        .with_for_update(key_share=True)
    )


def record_comparisons(
    session: Session,
    pact_versions: Sequence[PactVersion],
    *,
    provider_version: Version,
    publication: ProviderContractPublication,
    content: ProviderContractContent,
    verdicts: dict[int, Verdict] | None = None,
) -> RecordedComparisons:
    """Compare (or look up) each pact with the document and record the verdicts as the provider
    version's results, as one set: a pair whose current result already says exactly this is
    left alone (a republished identical contract records nothing). ``verdicts`` already known
    (by pact version id) are not looked up again.
    """
    if not pact_versions:
        return RecordedComparisons({}, [])
    known = verdicts or {}
    unknown = [p for p in pact_versions if p.id not in known]
    verdicts = {**known, **compare_many(session, unknown, content)} if unknown else known
    verified_by = _verified_by(publication, content)
    _lock_pacts(session, [p.id for p in pact_versions])
    current = _current_verified_by(session, provider_version, [p.id for p in pact_versions])
    recorded = record_verifications(
        session,
        provider_version,
        [
            (
                pact_version,
                VerificationRequest(
                    success=verdicts[pact_version.id].compatible
                    and publication.self_verification_success,
                    provider_version=provider_version.number,
                    build_url=publication.build_url,
                    test_results=results_of(verdicts[pact_version.id], publication),
                    verified_by=verified_by,
                ),
            )
            for pact_version in pact_versions
            if current.get(pact_version.id) != verified_by
        ],
    )
    return RecordedComparisons(verdicts, recorded)


def comparison_failure_why(who: str, failures: list[dict[str, Any]]) -> str:
    """The matrix's "why" for a failed comparison result: the provider's failed self-tests,
    and the first findings with the pact field and the operation they concern."""
    parts: list[str] = []
    for entry in failures:
        mismatches = entry.get("mismatches") or []
        if entry.get("interactionDescription") == SELF_VERIFICATION:
            parts.append(f"{who}'s own tests of its provider contract failed")
            continue
        for mismatch in mismatches[:_MAX_WHY_FINDINGS]:
            finding = mismatch.get("finding") if isinstance(mismatch, dict) else None
            if isinstance(finding, dict):
                parts.append(
                    f"'{entry.get('interactionDescription')}': {finding.get('code')} at "
                    f"{finding.get('pactPath')} ({finding.get('operation')}): "
                    f"{str(finding.get('message'))[:200]}"
                )
    if not parts:
        return f"the pact is not compatible with the provider contract of {who}"
    return f"the pact is not compatible with the provider contract of {who}: " + "; ".join(
        parts[: _MAX_WHY_FINDINGS + 1]
    )
