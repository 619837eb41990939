"""Provider contracts (bi-directional contract testing): PactFlow's publish endpoint, and the
resource of one provider version's contract with its comparisons.

``POST /provider-contracts/provider/{provider}/publish`` answers as PactFlow does (``notices``
the official CLI prints, ``_embedded`` pacticipant and version, ``pb:``/``pf:`` links), so
``pact pactflow publish-provider-contract`` works unchanged; the notices also say how each
consumer pact compared, and how many comparisons were left to the background worker (those
pairs are "unknown" to can-i-deploy until recorded, within seconds, as on PactFlow).

This router brings that worker: its lifespan (merged into the app's by ``include_router``)
starts a :class:`ComparisonWorker` in every broker process where the delivery worker is
enabled, and a publication that queued pairs wakes it.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request

from accord_broker.api.bodies import parsed
from accord_broker.api.hal import HalResponse, Urls, link, segment, timestamp
from accord_broker.domain.provider_contracts import (
    ProviderContractPublished,
    provider_contract_request,
    publish_provider_contract,
)
from accord_broker.domain.provider_contracts.body import ProviderContractBody
from accord_broker.domain.provider_contracts.comparison import ComparisonBudget
from accord_broker.domain.provider_contracts.views import (
    ProviderContractView,
    provider_contract,
)
from accord_broker.domain.provider_contracts.worker import (
    ComparisonWorker,
    ComparisonWorkerConfig,
)
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.versions.tag_effects import tag_effects_from_settings
from accord_broker.domain.versions.views import VersionView
from accord_broker.domain.webhooks.triggers import emit_verifications_published
from accord_broker.settings import Settings
from accord_broker.web.context import broker_of, unit_of_work, urls_for


@asynccontextmanager
async def comparison_worker(app: FastAPI) -> AsyncIterator[None]:
    """Run the worker that records queued comparisons while the app runs (it returns its
    unfinished claims to the queue when the app stops)."""
    broker = app.state.broker
    settings: Settings = broker.settings
    worker = ComparisonWorker(
        broker.uow.database,
        ComparisonWorkerConfig(
            poll_interval_seconds=settings.webhook_poll_interval_seconds,
            lease_seconds=settings.webhook_lease_seconds,
        ),
    )
    app.state.comparison_worker = worker if settings.webhook_worker_enabled else None
    if settings.webhook_worker_enabled:
        worker.start()
    try:
        yield
    finally:
        if settings.webhook_worker_enabled:
            worker.stop()


router = APIRouter(lifespan=comparison_worker)
SentContract = Annotated[ProviderContractBody, Depends(parsed(ProviderContractBody))]
_MAX_NOTICED_FINDINGS = 3


def contract_url(urls: Urls, provider: str, number: str) -> str:
    return f"{urls.base}/provider-contracts/provider/{segment(provider)}/version/{segment(number)}"


def add_provider_contract_link(urls: Urls, version: VersionView, rendered: dict[str, Any]) -> None:
    """``pf:provider-contract`` on a version resource whose version published one."""
    if version.provider_contract:
        name = version.pacticipant
        rendered["_links"]["pf:provider-contract"] = link(
            contract_url(urls, name, version.number),
            title="Provider contract",
            name=f"Provider contract of {name} version {version.number}",
        )


def _notice(kind: str, text: str) -> dict[str, str]:
    return {"type": kind, "text": text}


def _comparison_notices(result: ProviderContractPublished) -> list[dict[str, str]]:
    notices = []
    for compared in result.comparisons:
        verdict, sha = compared.verdict, compared.pact_sha
        label = f"{compared.consumer} {compared.consumer_version}"
        if verdict.compatible:
            notices.append(_notice("success", f"  Compatible with the pact of {label} ({sha})"))
            continue
        errors = verdict.errors
        notices.append(
            _notice(
                "error",
                f"  NOT compatible with the pact of {label} ({sha}): {len(errors)} error(s)",
            )
        )
        for finding in errors[:_MAX_NOTICED_FINDINGS]:
            notices.append(
                _notice(
                    "error",
                    f"    {finding.get('code')} at {finding.get('pactPath')}: "
                    f"{finding.get('message')}",
                )
            )
    return notices


def render_published(
    urls: Urls, result: ProviderContractPublished, branch: str | None, tags: tuple[str, ...]
) -> dict[str, Any]:
    """PactFlow's answer to a provider contract publication, with accord's comparison notices."""
    provider = result.provider.name
    number = result.version.number
    extras = [f"branch {branch}"] if branch else []
    if tags:
        extras.append(f"tags {', '.join(tags)}")
    detail = f" with {' and '.join(extras)}" if extras else ""
    verb = "Created" if result.version_created else "Updated"
    self_check = "passed" if result.publication.self_verification_success else "FAILED"
    contract_href = contract_url(urls, provider, number)
    notices = [
        _notice("debug", f"{verb} {provider} version {number}{detail}"),
        _notice(
            "success",
            f"Provider contract {'replaced' if result.replaced else 'published'} for "
            f"{provider} version {number} (self-verification {self_check})",
        ),
    ]
    if not result.publication.self_verification_success:
        notices.append(
            _notice(
                "warning",
                "  The provider's own tests of this contract failed: can-i-deploy counts every "
                "comparison with it as a failure",
            )
        )
    notices.append(_notice("info", f"  Compared with {len(result.comparisons)} consumer pact(s)"))
    notices.extend(_comparison_notices(result))
    if result.pending:
        notices.append(
            _notice(
                "warning",
                f"  {result.pending} more consumer pact(s) are being compared in the background: "
                "their verdicts are recorded within seconds, and until then can-i-deploy answers "
                "unknown for those pairs (use --retry-while-unknown)",
            )
        )
    notices.append(_notice("info", f"  View the provider contract at {contract_href}"))
    version_href = urls.version(provider, number)
    return {
        "notices": notices,
        "_embedded": {
            "pacticipant": {
                "name": provider,
                "_links": {"self": {"href": urls.pacticipant(provider)}},
            },
            "version": {
                "number": number,
                "_links": {"self": link(version_href, title="Version", name=number)},
            },
        },
        "_links": {
            "pb:pacticipant": link(urls.pacticipant(provider), title="Pacticipant", name=provider),
            "pb:pacticipant-version": link(version_href, title="Pacticipant version", name=number),
            "pb:pacticipant-version-tags": [
                link(urls.tag(provider, number, tag), title="Tag", name=tag) for tag in tags
            ],
            **(
                {
                    "pb:branch-version": link(
                        urls.branch_version(provider, branch, number),
                        title="Branch version",
                        name=branch,
                    )
                }
                if branch
                else {}
            ),
            "pf:provider-contract": link(
                contract_href,
                title="Provider contract",
                name=f"Provider contract of {provider} version {number}",
            ),
        },
    }


@router.post("/provider-contracts/provider/{provider:seg}/publish")
def publish(request: Request, provider: str, body: SentContract) -> HalResponse:
    """Store the provider version's OpenAPI document and compare it with consumer pacts."""
    broker = broker_of(request)
    urls = urls_for(request)
    publication = provider_contract_request(provider, body)
    effects = tag_effects_from_settings(broker.settings)

    settings = broker.settings

    def work(session: Session) -> tuple[dict[str, Any], int]:
        budget = ComparisonBudget(
            settings.provider_contract_comparisons_in_request,
            settings.provider_contract_comparison_budget_ms / 1000,
        )
        result = publish_provider_contract(
            session, publication, effects=effects, budget=budget, base_url=urls.base
        )
        emit_verifications_published(session, result.recorded, base_url=urls.base)
        return render_published(urls, result, publication.branch, publication.tags), result.pending

    answer, pending = broker.uow.write(work)
    worker = getattr(request.app.state, "comparison_worker", None)
    if pending and isinstance(worker, ComparisonWorker):
        worker.wake()
    return HalResponse(answer)


def render_provider_contract(urls: Urls, view: ProviderContractView) -> dict[str, Any]:
    """The contract, its self-verification and each comparison, with links to the results."""
    href = contract_url(urls, view.provider, view.version)
    return {
        "provider": view.provider,
        "providerVersion": view.version,
        "specification": view.specification,
        "contentType": view.content_type,
        "content": view.content,
        "sha": view.sha,
        "buildUrl": view.build_url,
        "publishedAt": timestamp(view.published_at),
        "selfVerificationResults": {
            "success": view.self_verification_success,
            **view.self_verification,
        },
        "pendingComparisons": view.pending_comparisons,
        "comparisons": [
            {
                "consumer": c.consumer,
                "consumerVersion": c.consumer_version,
                "pactSha": c.pact_sha,
                "compatible": c.compatible,
                "success": c.success,
                "findings": c.findings,
                "_links": {
                    "pb:pact-version": link(
                        urls.pact_version(view.provider, c.consumer, c.pact_sha)
                    ),
                    "pb:verification-result": link(
                        urls.verification(
                            view.provider, c.consumer, c.pact_sha, c.verification_number
                        )
                    ),
                },
            }
            for c in view.comparisons
        ],
        "_links": {
            "self": link(href, title="Provider contract"),
            "pb:pacticipant": link(urls.pacticipant(view.provider), name=view.provider),
            "pb:pacticipant-version": link(
                urls.version(view.provider, view.version), name=view.version
            ),
        },
    }


@router.get("/provider-contracts/provider/{provider:seg}/version/{number:seg}")
def get_provider_contract(request: Request, provider: str, number: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        view = provider_contract(session, provider, number)
    return HalResponse(render_provider_contract(urls_for(request), view))
