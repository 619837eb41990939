"""Publishing a provider contract, and comparing each side when the other is published.

A provider version publishes its OpenAPI document with its self-verification; the document's
text is stored once per hash and the publication once per provider version (a republication
replaces it). Then the document is compared with the pacts of the provider's consumers'
head versions (``relevance``) and each verdict recorded as the provider version's result for
that pact. When a consumer publishes a pact, :func:`compare_new_pact` does the same from the
other side, against the provider contracts of the provider's head versions. Comparisons are
computed when contracts change, never per query: in the publishing transaction as far as the
publication's time budget goes (the first few always, so small brokers get every verdict in
the answer), the rest by the background worker (``pending``, ``worker``) within seconds.
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import Pacticipant, PactVersion, Verification, Version
from accord_broker.db.provider_contract_models import (
    ProviderContractContent,
    ProviderContractPublication,
)
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore
from accord_broker.domain.pacticipants.pacticipants import find_or_create_pacticipant
from accord_broker.domain.provider_contracts.comparison import (
    DOCUMENTS,
    ComparisonBudget,
    Verdict,
    compare_many,
)
from accord_broker.domain.provider_contracts.pending import forget_queued, queue_comparisons
from accord_broker.domain.provider_contracts.relevance import (
    contracts_to_compare,
    pacts_to_compare,
)
from accord_broker.domain.provider_contracts.request import ProviderContractRequest
from accord_broker.domain.provider_contracts.results import (
    record_comparison,
    record_comparisons,
)
from accord_broker.domain.versions.tag_effects import (
    PACT_BROKER_TAG_EFFECTS,
    TagEffects,
    put_version_on_branch,
    tag_version,
)
from accord_broker.domain.versions.versions import find_or_create_version, set_build_url

_BATCH = 500
"""Pacts compared and recorded per set of statements (keeps ``IN`` lists within SQLite's and
PostgreSQL's parameter limits)."""


@dataclass(slots=True)
class ProviderContractPublished:
    """What a publication did: the version (new or not), what is stored, each comparison."""

    provider: Pacticipant
    version: Version
    version_created: bool
    publication: ProviderContractPublication
    content: ProviderContractContent
    replaced: bool
    comparisons: list["ComparedPact"] = field(default_factory=list)
    """The pairs compared before answering."""
    pending: int = 0
    """How many pairs were left to the background worker (no verdict yet: "unknown")."""
    recorded: list[Verification] = field(default_factory=list)
    """The results recorded now (for the webhooks they fire)."""


@dataclass(frozen=True, slots=True)
class ComparedPact:
    """One consumer pact the publication was compared with (named by its newest version that
    a release question asks about), and the verdict."""

    consumer: str
    consumer_version: str
    pact_sha: str
    verdict: Verdict


def _find_or_create_content(
    session: Session, provider: Pacticipant, request: ProviderContractRequest
) -> ProviderContractContent:
    query = select(ProviderContractContent).where(
        ProviderContractContent.provider_id == provider.id,
        ProviderContractContent.sha == request.sha,
    )
    found = session.scalar(query)
    if found is None:
        insert_ignore(
            session,
            ProviderContractContent,
            {
                "provider_id": provider.id,
                "sha": request.sha,
                "content": request.text,
                "content_type": request.content_type,
                "created_at": utc_now(),
            },
            ["provider_id", "sha"],
        )
        found = session.scalar(query)
    assert found is not None
    return found


def _store_publication(
    session: Session,
    version: Version,
    content: ProviderContractContent,
    request: ProviderContractRequest,
) -> tuple[ProviderContractPublication, bool]:
    """The version's publication, created or replaced (``True`` when one existed)."""
    existing = session.scalar(
        select(ProviderContractPublication).where(
            ProviderContractPublication.provider_version_id == version.id
        )
    )
    publication = existing or ProviderContractPublication(
        provider_id=version.pacticipant_id, provider_version_id=version.id
    )
    publication.content_id = content.id
    publication.specification = request.specification
    publication.self_verification_success = request.self_verification.success
    publication.self_verification = dict(request.self_verification.details)
    publication.build_url = request.build_url
    publication.created_at = utc_now()
    session.add(publication)
    session.flush()
    return publication, existing is not None


def lock_provider(session: Session, provider: Pacticipant, *, shared: bool) -> None:
    """Serialise a contract's publication with the publications of pacts for its provider
    (PostgreSQL; SQLite serialises its writers already).

    Each side compares with what the other side has committed. Without this lock a pact and a
    contract published at the same moment would each miss the other, and the pair would never
    be compared. Pacts take the lock shared (they do not wait for each other), a contract
    exclusively (``FOR NO KEY UPDATE``, which foreign keys' key-share locks do not wait for),
    so whichever side comes second finds the first one's rows and compares the pair."""
    query = select(Pacticipant.id).where(Pacticipant.id == provider.id)
    session.execute(query.with_for_update(read=shared, key_share=not shared))


def publish_provider_contract(
    session: Session,
    request: ProviderContractRequest,
    *,
    effects: TagEffects = PACT_BROKER_TAG_EFFECTS,
    budget: ComparisonBudget | None = None,
    base_url: str = "",
) -> ProviderContractPublished:
    """Create/update the provider version (build URL, branch, tags), store the contract, and
    compare it with the consumers' pacts that a release question can ask about: those whose
    verdict is stored or fits in ``budget`` now, the others queued for the worker (their
    webhooks will link under ``base_url``).

    A republication drops the pairs its version queued before it compares anything: the
    delete waits for a worker that is recording some of them (it holds their rows), so the
    comparisons made here then see that worker's results, and a worker that comes later finds
    its rows gone; either way each pair is recorded once."""
    provider = find_or_create_pacticipant(session, request.provider_name)
    lock_provider(session, provider, shared=False)
    version, created = find_or_create_version(session, provider, request.version_number)
    set_build_url(version, request.build_url)
    if request.branch is not None:
        put_version_on_branch(session, version, request.branch, effects)
    for tag in request.tags:
        tag_version(session, version, tag, effects)
    content = _find_or_create_content(session, provider, request)
    DOCUMENTS.remember(content.sha, request.document)  # parsed once, when it was checked
    publication, replaced = _store_publication(session, version, content, request)
    if replaced:
        forget_queued(session, publication)
    outcome = ProviderContractPublished(provider, version, created, publication, content, replaced)
    pairs = dict(pacts_to_compare(session, provider.id))
    consumers = {
        version_id: (name, number)
        for version_id, name, number in session.execute(
            select(Version.id, Pacticipant.name, Version.number)
            .join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
            .where(Version.id.in_(pairs.values()))
        ).all()
    }
    pact_ids = sorted(pairs)
    queued: list[int] = []
    for start in range(0, len(pact_ids), _BATCH):
        pacts = session.scalars(
            select(PactVersion)
            .where(PactVersion.id.in_(pact_ids[start : start + _BATCH]))
            .order_by(PactVersion.id)
        ).all()
        verdicts = compare_many(session, pacts, content, budget)
        compared = [p for p in pacts if p.id in verdicts]
        queued += [p.id for p in pacts if p.id not in verdicts]
        recorded = record_comparisons(
            session,
            compared,
            provider_version=version,
            publication=publication,
            content=content,
            verdicts=verdicts,
        )
        outcome.recorded += recorded.recorded
        for pact_version in compared:
            name, number = consumers[pairs[pact_version.id]]
            outcome.comparisons.append(
                ComparedPact(name, number, pact_version.sha, verdicts[pact_version.id])
            )
    if queued:
        queue_comparisons(session, publication, queued, base_url)
    outcome.pending = len(queued)
    return outcome


def compare_new_pact(session: Session, pact_version: PactVersion, provider: Pacticipant) -> None:
    """Compare a just-published pact with the provider contracts of the provider's head
    versions (nothing to do, in two statements, for a provider without contracts)."""
    lock_provider(session, provider, shared=True)
    publications = contracts_to_compare(session, provider.id)
    for publication in publications:
        content = session.get(ProviderContractContent, publication.content_id)
        version = session.get(Version, publication.provider_version_id)
        assert content is not None and version is not None
        record_comparison(
            session,
            pact_version,
            provider_version=version,
            publication=publication,
            content=content,
        )
