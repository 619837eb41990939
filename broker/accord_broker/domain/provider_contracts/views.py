"""What the API and the UI show of a provider contract: the document, its self-verification,
and each consumer pact it was compared with, with the verdict and the findings."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    LatestPactPublication,
    Pacticipant,
    PactVersion,
    Verification,
    Version,
)
from accord_broker.db.provider_contract_models import (
    ProviderContractComparison,
    ProviderContractContent,
    ProviderContractPublication,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.provider_contracts.pending import pending_count
from accord_broker.domain.provider_contracts.results import is_comparison
from accord_broker.domain.versions.branches import branch_names_of
from accord_broker.domain.versions.versions import find_version
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


def _newest_consumer_versions(session: Session, pact_ids: list[int]) -> dict[int, str]:
    lpp = LatestPactPublication
    newest = (
        select(lpp.pact_version_id, func.max(lpp.consumer_version_order).label("order"))
        .where(lpp.pact_version_id.in_(pact_ids))
        .group_by(lpp.pact_version_id)
        .subquery()
    )
    rows = session.execute(
        select(newest.c.pact_version_id, Version.number)
        .join(PactVersion, PactVersion.id == newest.c.pact_version_id)
        .join(
            Version,
            (Version.pacticipant_id == PactVersion.consumer_id) & (Version.order == newest.c.order),
        )
    ).all()
    return {int(pact): str(number) for pact, number in rows}


def _comparisons(
    session: Session, version: Version, content: ProviderContractContent
) -> list[ComparisonView]:
    consumer = aliased(Pacticipant)
    rows = session.execute(
        select(Verification, PactVersion.sha, consumer.name, ProviderContractComparison)
        .join(PactVersion, PactVersion.id == Verification.pact_version_id)
        .join(consumer, consumer.id == PactVersion.consumer_id)
        .join(
            ProviderContractComparison,
            (ProviderContractComparison.pact_version_id == PactVersion.id)
            & (ProviderContractComparison.content_id == content.id),
        )
        .where(Verification.provider_version_id == version.id)
        .order_by(Verification.id.desc())
    ).all()
    newest: dict[int, ComparisonView] = {}
    pact_ids = []
    for verification, sha, consumer_name, comparison in rows:
        by = verification.verified_by or {}
        if verification.pact_version_id in newest or not is_comparison(by):
            continue
        if (by.get("providerContract") or {}).get("sha") != content.sha:
            continue
        pact_ids.append(verification.pact_version_id)
        newest[verification.pact_version_id] = ComparisonView(
            consumer_name,
            None,
            sha,
            comparison.compatible,
            verification.success,
            verification.number,
            list(comparison.findings),
        )
    numbers = _newest_consumer_versions(session, pact_ids) if pact_ids else {}
    views = [
        ComparisonView(
            v.consumer,
            numbers.get(pact_id),
            v.pact_sha,
            v.compatible,
            v.success,
            v.verification_number,
            v.findings,
        )
        for pact_id, v in newest.items()
    ]
    return sorted(views, key=lambda v: (v.consumer, v.pact_sha))


def find_provider_contract(
    session: Session, provider: Pacticipant, version: Version
) -> ProviderContractView | None:
    """The contract ``version`` published, if any, with its comparisons."""
    found = session.execute(
        select(ProviderContractPublication, ProviderContractContent)
        .join(
            ProviderContractContent,
            ProviderContractContent.id == ProviderContractPublication.content_id,
        )
        .where(ProviderContractPublication.provider_version_id == version.id)
    ).first()
    if found is None:
        return None
    publication, content = found
    return ProviderContractView(
        provider=provider.name,
        version=version.number,
        branch_names=[name for name, _ in branch_names_of(session, version)],
        specification=publication.specification,
        content_type=content.content_type,
        content=content.content,
        sha=content.sha,
        self_verification_success=publication.self_verification_success,
        self_verification=dict(publication.self_verification),
        build_url=publication.build_url,
        published_at=publication.created_at,
        comparisons=_comparisons(session, version, content),
        pending_comparisons=pending_count(session, publication.id),
    )


def provider_contract(session: Session, provider_name: str, number: str) -> ProviderContractView:
    """The contract of a provider version; 404 naming what is missing otherwise."""
    provider = get_pacticipant(session, provider_name, "provider")
    version = find_version(session, provider, number)
    if version is None:
        raise BrokerNotFoundError(f"No version {number} of {provider_name} exists")
    view = find_provider_contract(session, provider, version)
    if view is None:
        raise BrokerNotFoundError(
            f"{provider_name} version {number} has published no provider contract; publish one "
            "with `pact pactflow publish-provider-contract`"
        )
    return view


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
