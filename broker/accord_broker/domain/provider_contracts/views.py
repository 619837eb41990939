"""What the API and the UI show of a provider contract: the document, its self-verification,
and each consumer pact it was compared with, with the verdict and the findings.

Read in three statements built once per process, as plain rows (issue #20: seven, the results
loaded as entities with every JSON column decoded, 7 ms of a 7 ms answer): the provider
version with its contract, document and count of queued comparisons, found by name and number;
the version's branches; its results on the compared pacts with each content's newest consumer
version.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    LatestPactPublication,
    Pacticipant,
    PactVersion,
    Verification,
    Version,
)
from accord_broker.db.provider_contract_models import (
    PendingComparison,
    ProviderContractComparison,
    ProviderContractContent,
    ProviderContractPublication,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.provider_contracts.results import is_comparison
from accord_broker.errors import BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class ComparisonView:
    """One consumer pact compared with the contract, and the result recorded from it."""

    consumer: str
    consumer_version: str | None
    """The newest consumer version whose current pact is this content."""
    pact_sha: str
    compatible: bool
    success: bool
    """The recorded result: compatible *and* the provider's self-verification passed."""
    verification_number: int
    findings: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ProviderContractView:
    provider: str
    version: str
    branch_names: list[str]
    specification: str
    content_type: str
    content: str
    sha: str
    self_verification_success: bool
    self_verification: dict[str, Any]
    build_url: str | None
    published_at: Any
    comparisons: list[ComparisonView]
    pending_comparisons: int = 0
    """Pairs the background worker has still to compare (no verdict yet: "unknown")."""


_PROVIDER_NAME = bindparam("provider", type_=String)
_NUMBER = bindparam("number", type_=String)
_PUBLICATION = ProviderContractPublication
_CONTRACT = (
    select(
        Version.id,
        _PUBLICATION.id,
        _PUBLICATION.specification,
        _PUBLICATION.self_verification_success,
        _PUBLICATION.self_verification,
        _PUBLICATION.build_url,
        _PUBLICATION.created_at,
        ProviderContractContent.id,
        ProviderContractContent.content_type,
        ProviderContractContent.content,
        ProviderContractContent.sha,
        select(func.count())
        .select_from(PendingComparison)
        .where(PendingComparison.publication_id == _PUBLICATION.id)
        .correlate(_PUBLICATION)
        .scalar_subquery(),
    )
    .join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
    .outerjoin(_PUBLICATION, _PUBLICATION.provider_version_id == Version.id)
    .outerjoin(ProviderContractContent, ProviderContractContent.id == _PUBLICATION.content_id)
    .where(Pacticipant.name == _PROVIDER_NAME, Version.number == _NUMBER)
)
"""The named provider version with the contract it published (if any), its document and how
many of its comparisons are still queued (:func:`.pending.pending_count`)."""

_BRANCHES = (
    select(Branch.name, Branch.head_version_id)
    .join(BranchVersion, BranchVersion.branch_id == Branch.id)
    .where(BranchVersion.version_id == bindparam("version_id"))
    .order_by(BranchVersion.id)
)
"""The branches the version is on, in the order it was put on them
(:func:`.branches.branch_names_of`)."""

_CONSUMER = aliased(Pacticipant)
_NEWEST_LPP = aliased(LatestPactPublication)
_NEWEST_NUMBER = (
    select(Version.number)
    .join(_NEWEST_LPP, _NEWEST_LPP.consumer_version_id == Version.id)
    .where(_NEWEST_LPP.pact_version_id == PactVersion.id)
    .order_by(_NEWEST_LPP.consumer_version_order.desc())
    .limit(1)
    .correlate(PactVersion)
    .scalar_subquery()
)
"""The newest consumer version whose current pact is this content (``NULL`` when none is)."""
_COMPARISONS = (
    select(
        Verification.pact_version_id,
        Verification.verified_by,
        Verification.success,
        Verification.number,
        PactVersion.sha,
        _CONSUMER.name,
        ProviderContractComparison.compatible,
        ProviderContractComparison.findings,
        _NEWEST_NUMBER,
    )
    .join(PactVersion, PactVersion.id == Verification.pact_version_id)
    .join(_CONSUMER, _CONSUMER.id == PactVersion.consumer_id)
    .join(
        ProviderContractComparison,
        (ProviderContractComparison.pact_version_id == PactVersion.id)
        & (ProviderContractComparison.content_id == bindparam("content_id")),
    )
    .where(Verification.provider_version_id == bindparam("version_id"))
    .order_by(Verification.id.desc())
)
"""The version's results on the pacts compared with the document, newest first, each with
the comparison and its content's newest consumer version."""


def _comparisons(
    session: Session, version_id: int, content_id: int, content_sha: str
) -> list[ComparisonView]:
    """Per pact content, the newest result recorded from comparing it with this document."""
    params = {"version_id": version_id, "content_id": content_id}
    newest: dict[int, ComparisonView] = {}
    for pact_id, by, success, number, sha, consumer, compatible, findings, cv in session.execute(
        _COMPARISONS, params
    ):
        if pact_id in newest or not is_comparison(by):
            continue
        if (by.get("providerContract") or {}).get("sha") != content_sha:
            continue
        newest[pact_id] = ComparisonView(
            consumer, cv, sha, compatible, success, number, list(findings)
        )
    return sorted(newest.values(), key=lambda v: (v.consumer, v.pact_sha))


def provider_contract(session: Session, provider_name: str, number: str) -> ProviderContractView:
    """The contract of a provider version with its comparisons (three statements: the
    version with its contract, its branches, the comparisons); 404 naming what is missing
    otherwise."""
    found = session.execute(_CONTRACT, {"provider": provider_name, "number": number}).first()
    if found is None:
        get_pacticipant(session, provider_name, "provider")
        raise BrokerNotFoundError(f"No version {number} of {provider_name} exists")
    (
        version_id,
        publication_id,
        specification,
        self_verification_success,
        self_verification,
        build_url,
        published_at,
        content_id,
        content_type,
        content,
        sha,
        pending,
    ) = found
    if publication_id is None:
        raise BrokerNotFoundError(
            f"{provider_name} version {number} has published no provider contract; publish one "
            "with `pact pactflow publish-provider-contract`"
        )
    branches = session.execute(_BRANCHES, {"version_id": version_id}).all()
    return ProviderContractView(
        provider=provider_name,
        version=number,
        branch_names=[name for name, _ in branches],
        specification=specification,
        content_type=content_type,
        content=content,
        sha=sha,
        self_verification_success=self_verification_success,
        self_verification=dict(self_verification),
        build_url=build_url,
        published_at=published_at,
        comparisons=_comparisons(session, version_id, content_id, sha),
        pending_comparisons=int(pending or 0),
    )


def has_provider_contract(session: Session, version_id: int) -> bool:
    """Whether the version published a provider contract (for its HAL links)."""
    return (
        session.scalar(
            select(ProviderContractPublication.id).where(
                ProviderContractPublication.provider_version_id == version_id
            )
        )
        is not None
    )


def comparison_results(session: Session, verification_ids: set[int]) -> dict[int, str]:
    """Of these results, the ones that are comparisons: id → the provider version whose
    contract the pact was compared with (so a page can say "comparison" and link to it)."""
    if not verification_ids:
        return {}
    rows = session.execute(
        select(Verification.id, Verification.verified_by, Version.number)
        .join(Version, Version.id == Verification.provider_version_id)
        .where(Verification.id.in_(verification_ids))
    ).all()
    return {int(vid): str(number) for vid, by, number in rows if is_comparison(by)}
