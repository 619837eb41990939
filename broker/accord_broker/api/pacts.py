"""Reading pacts: one pact (latest, by tag, branch, version or content sha) and pact lists."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from accord_broker.api.hal import HalResponse, header_text, segment
from accord_broker.api.render_pacts import render_latest_pacts, render_pact, render_provider_pacts
from accord_broker.domain.pacts import pact_lists, pacts
from accord_broker.domain.pacts.diff import diff_limits, diff_stored_pacts
from accord_broker.domain.pacts.pacts import PactRef
from accord_broker.web.context import broker_of, unit_of_work, urls_for

router = APIRouter()
BETWEEN = "/pacts/provider/{provider:seg}/consumer/{consumer:seg}"


def _pact_response(request: Request, ref: PactRef, metadata: str | None = None) -> HalResponse:
    response = HalResponse(render_pact(urls_for(request), ref, metadata=metadata))
    response.headers["X-Pact-Consumer-Version"] = header_text(ref.consumer_version.number)
    return response


@router.get(BETWEEN + "/version/{number:seg}")
def pact_for_version(request: Request, provider: str, consumer: str, number: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        return _pact_response(request, pacts.pact_for_version(session, provider, consumer, number))


@router.delete(BETWEEN + "/version/{number:seg}")
def delete_pact(request: Request, provider: str, consumer: str, number: str) -> Response:
    unit_of_work(request).write(
        lambda session: pacts.delete_pact(session, provider, consumer, number)
    )
    return Response(status_code=204)


@router.get(BETWEEN + "/latest")
def latest_pact(request: Request, provider: str, consumer: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        return _pact_response(request, pacts.latest_pact(session, provider, consumer))


@router.get(BETWEEN + "/latest/{tag:seg}")
def latest_tagged_pact(request: Request, provider: str, consumer: str, tag: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        return _pact_response(request, pacts.latest_pact(session, provider, consumer, tag=tag))


@router.get(BETWEEN + "/branch/{branch:seg}/latest")
def latest_branch_pact(request: Request, provider: str, consumer: str, branch: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        return _pact_response(
            request, pacts.latest_pact(session, provider, consumer, branch=branch)
        )


@router.get(BETWEEN + "/pact-version/{sha:seg}")
def pact_by_sha(request: Request, provider: str, consumer: str, sha: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        return _pact_response(request, pacts.pact_by_sha(session, provider, consumer, sha))


@router.get(BETWEEN + "/pact-version/{sha:seg}/metadata/{metadata:seg}")
def pact_by_sha_with_metadata(
    request: Request, provider: str, consumer: str, sha: str, metadata: str
) -> HalResponse:
    """The permalink a for-verification response hands out; the metadata goes into the
    ``pb:publish-verification-results`` link so the result can say it was WIP or pending."""
    with unit_of_work(request).read() as session:
        ref = pacts.pact_by_sha(session, provider, consumer, sha)
        return _pact_response(request, ref, metadata)


@router.get(BETWEEN + "/versions")
def pact_versions_between(request: Request, provider: str, consumer: str) -> HalResponse:
    """``pb:all-pact-versions``: every pact between the two, newest first."""
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        refs = pact_lists.pact_listings_between(session, provider, consumer)
    href = f"{urls.pacts_between(provider, consumer)}/versions"
    title = f"All versions of the pact between {consumer} and {provider}"
    return HalResponse(render_provider_pacts(urls, provider, href, title, refs))


@router.get(BETWEEN + "/pact-version/{sha:seg}/diff/pact-version/{other:seg}")
def diff_pact_versions(
    request: Request, provider: str, consumer: str, sha: str, other: str
) -> PlainTextResponse:
    """``pb:diff``: what changed in the interactions from pact version ``other`` to ``sha``."""
    with unit_of_work(request).read() as session:
        newer = pacts.pact_by_sha(session, provider, consumer, sha)
        older = pacts.pact_by_sha(session, provider, consumer, other)
    text = diff_stored_pacts(
        older.pact_version,
        newer.pact_version,
        older_name=other,
        newer_name=sha,
        limits=diff_limits(broker_of(request).settings),
    )
    return PlainTextResponse(text or "No differences between the interactions of the two pacts.")


def _provider_pact_list(
    request: Request, provider: str, suffix: str, title: str, *, latest: bool, tag: str | None
) -> HalResponse:
    """One of the provider's pact lists: ``latest`` and ``tag`` pick the pacts, the rest is the
    same HAL."""
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        refs = pact_lists.pacts_for_provider(session, provider, latest=latest, tag=tag)
    href = urls.provider_pacts(provider) + suffix
    return HalResponse(render_provider_pacts(urls, provider, href, title, refs))


@router.get("/pacts/provider/{provider:seg}")
def provider_pacts(request: Request, provider: str) -> HalResponse:
    """``pb:provider-pacts``: every current pact for the provider."""
    return _provider_pact_list(
        request,
        provider,
        "",
        f"All pact versions for the provider {provider}",
        latest=False,
        tag=None,
    )


@router.get("/pacts/provider/{provider:seg}/tag/{tag:seg}")
def provider_pacts_with_tag(request: Request, provider: str, tag: str) -> HalResponse:
    """``pb:provider-pacts-with-tag``: every pact of consumer versions tagged ``tag``."""
    return _provider_pact_list(
        request,
        provider,
        f"/tag/{segment(tag)}",
        f"All pact versions for the provider {provider} with consumer version tag '{tag}'",
        latest=False,
        tag=tag,
    )


@router.get("/pacts/provider/{provider:seg}/latest")
def latest_provider_pacts(request: Request, provider: str) -> HalResponse:
    """``pb:latest-provider-pacts``: 404 for an unknown provider (so the legacy verifier fails)."""
    return _provider_pact_list(
        request,
        provider,
        "/latest",
        f"Latest pact versions for the provider {provider}",
        latest=True,
        tag=None,
    )


@router.get("/pacts/provider/{provider:seg}/latest/{tag:seg}")
def latest_provider_pacts_with_tag(request: Request, provider: str, tag: str) -> HalResponse:
    return _provider_pact_list(
        request,
        provider,
        f"/latest/{segment(tag)}",
        f"Latest pact versions for the provider {provider} with consumer version tag '{tag}'",
        latest=True,
        tag=tag,
    )


@router.get("/pacts/latest")
def latest_pacts(request: Request) -> HalResponse:
    with unit_of_work(request).read() as session:
        refs = pact_lists.latest_pacts_of_every_integration(session)
    return HalResponse(render_latest_pacts(urls_for(request), refs))
