"""A comparison enters the matrix as a verification result of the pact by the provider version.

can-i-deploy, the matrix, pending status and badges already read verification results; a
compatible pair whose provider passed its own tests is a successful result, anything else a
failed one whose ``testResults`` carry the findings. The result's ``verifiedBy`` marks it as a
comparison (and which document and self-verification it came from), which is how the matrix,
its reasons and the UI tell the two sources apart, and how an unchanged pair is recognised and
not recorded twice.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from accord import __version__ as accord_version
from accord_broker.db.models import LatestVerification, PactVersion, Verification, Version
from accord_broker.db.provider_contract_models import (
    ProviderContractContent,
    ProviderContractPublication,
)
from accord_broker.domain.provider_contracts.comparison import Verdict, compare_contents
from accord_broker.domain.verifications import VerificationRequest, record_verification

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


def record_comparison(
    session: Session,
    pact_version: PactVersion,
    *,
    provider_name: str,
    provider_version: Version,
    publication: ProviderContractPublication,
    content: ProviderContractContent,
) -> Verdict:
    """Compare (or look up) the pair and record it as the provider version's result for the
    pact, unless the newest result for this pair already says exactly this."""
    verdict = compare_contents(session, pact_version, content)
    verified_by = _verified_by(publication, content)
    latest = session.get(LatestVerification, (pact_version.id, provider_version.id))
    if latest is not None:
        current = session.get(Verification, latest.verification_id)
        if current is not None and current.verified_by == verified_by:
            return verdict
    record_verification(
        session,
        pact_version,
        provider_name,
        VerificationRequest(
            success=verdict.compatible and publication.self_verification_success,
            provider_version=provider_version.number,
            build_url=publication.build_url,
            test_results=results_of(verdict, publication),
            verified_by=verified_by,
        ),
    )
    return verdict


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
