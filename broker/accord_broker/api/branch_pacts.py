"""A provider's pacts by consumer branch, as ``pact broker get-pacts`` asks for them.

Provider-wide lists (``/pacts/provider/{p}/branch[/{b}][/latest]``) are HAL link lists like
the other provider pact lists; per-consumer lists (``…/consumer/{c}/branch[/{b}]``) embed each
pact's consumer version and creation time as the Pact Broker does, and carry the same
``pb:pacts`` links. ``…/consumer/{c}/branch/latest`` is the newest main-branch pact itself, like
its sibling ``…/branch/{b}/latest``. Registered before ``api.pacts``, so ``latest`` is never
taken for a branch name.
"""

from typing import Any

from fastapi import APIRouter, Request

from accord_broker.api.hal import HalResponse, Urls, header_text, link, segment, timestamp
from accord_broker.api.render_pacts import render_pact, render_provider_pacts
from accord_broker.domain.pacts import branch_pacts
from accord_broker.domain.pacts.pact_lists import PactListing
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()
PROVIDER = "/pacts/provider/{provider:seg}"
BETWEEN = PROVIDER + "/consumer/{consumer:seg}"


def _find(
    request: Request,
    provider: str,
    *,
    consumer: str | None = None,
    branch: str | None = None,
    latest: bool = False,
) -> list[PactListing]:
    with unit_of_work(request).read() as session:
        return branch_pacts.pacts_on_branch(
            session, provider, consumer_name=consumer, branch=branch, latest=latest
        )


def _provider_list(
    request: Request, provider: str, branch: str | None, *, latest: bool
) -> HalResponse:
    urls = urls_for(request)
    refs = _find(request, provider, branch=branch, latest=latest)
    suffix = "/branch" + ("" if branch is None else f"/{segment(branch)}")
    suffix += "/latest" if latest else ""
    which = "main branch" if branch is None else f"branch {branch}"
    title = ("Latest pacts" if latest else "All pacts") + f" for {provider} from each consumer's "
    body = render_provider_pacts(
        urls, provider, urls.provider_pacts(provider) + suffix, title + which, refs
    )
    return HalResponse(body)


@router.get(PROVIDER + "/branch/latest")
def latest_provider_pacts_main_branch(request: Request, provider: str) -> HalResponse:
    """``pb:latest-provider-pacts-with-main-branch``."""
    return _provider_list(request, provider, None, latest=True)


@router.get(PROVIDER + "/branch")
def provider_pacts_main_branch(request: Request, provider: str) -> HalResponse:
    """``pb:provider-pacts-with-main-branch``: every version on each consumer's main branch."""
    return _provider_list(request, provider, None, latest=False)


@router.get(PROVIDER + "/branch/{branch:seg}/latest")
def latest_provider_pacts_for_branch(request: Request, provider: str, branch: str) -> HalResponse:
    """``pb:latest-provider-pacts-with-branch``."""
    return _provider_list(request, provider, branch, latest=True)


@router.get(PROVIDER + "/branch/{branch:seg}")
def provider_pacts_for_branch(request: Request, provider: str, branch: str) -> HalResponse:
    """``pb:provider-pacts-with-branch``: every version on the consumers' branch ``branch``."""
    return _provider_list(request, provider, branch, latest=False)


def _consumer_list(
    urls: Urls, provider: str, consumer: str, self_href: str, refs: list[PactListing]
) -> dict[str, Any]:
    """Per consumer: ``_embedded.pacts`` with version and time, plus ``pb:pacts`` links."""
    embedded = []
    for ref in refs:
        number = ref.consumer_version_number
        embedded.append(
            {
                "createdAt": timestamp(ref.published_at),
                "_embedded": {
                    "consumerVersion": {
                        "number": number,
                        "_links": {
                            "self": link(
                                urls.version(consumer, number), title="Version", name=number
                            )
                        },
                    }
                },
                "_links": {
                    "self": link(urls.pact_for_version(provider, consumer, number), title=ref.title)
                },
            }
        )
    return {
        "_embedded": {"pacts": embedded},
        "_links": {
            "self": link(
                self_href, title=f"All versions of the pact between {consumer} and {provider}"
            ),
            "consumer": link(urls.pacticipant(consumer), title="Consumer", name=consumer),
            "provider": link(urls.pacticipant(provider), title="Provider", name=provider),
            "pb:pacts": [
                link(
                    urls.pact_for_version(provider, consumer, ref.consumer_version_number),
                    title=ref.title,
                    name=consumer,
                )
                for ref in refs
            ],
        },
    }


@router.get(BETWEEN + "/branch/latest")
def latest_main_branch_pact(request: Request, provider: str, consumer: str) -> HalResponse:
    """The newest pact of the consumer's main branch (``pb:latest-main-branch-pact-versions``)."""
    with unit_of_work(request).read() as session:
        ref = branch_pacts.latest_main_branch_pact(session, provider, consumer)
        response = HalResponse(render_pact(urls_for(request), ref))
    response.headers["X-Pact-Consumer-Version"] = header_text(ref.consumer_version.number)
    return response


@router.get(BETWEEN + "/branch")
def main_branch_pact_versions(request: Request, provider: str, consumer: str) -> HalResponse:
    """``pb:main-branch-pact-versions``: every pact of the consumer's main branch, newest first."""
    urls = urls_for(request)
    refs = _find(request, provider, consumer=consumer)
    href = f"{urls.pacts_between(provider, consumer)}/branch"
    return HalResponse(_consumer_list(urls, provider, consumer, href, refs))


@router.get(BETWEEN + "/branch/versions")
def main_branch_pact_versions_listed(request: Request, provider: str, consumer: str) -> HalResponse:
    """``pb:main-branch-pact-versions`` at the index's href (not the branch "versions")."""
    urls = urls_for(request)
    refs = _find(request, provider, consumer=consumer)
    href = f"{urls.pacts_between(provider, consumer)}/branch/versions"
    return HalResponse(_consumer_list(urls, provider, consumer, href, refs))


@router.get(BETWEEN + "/branch/latest/versions")
def latest_main_branch_pact_versions(request: Request, provider: str, consumer: str) -> HalResponse:
    """``pb:latest-main-branch-pact-versions``: the newest main-branch pact, as a list."""
    urls = urls_for(request)
    refs = _find(request, provider, consumer=consumer, latest=True)
    href = f"{urls.pacts_between(provider, consumer)}/branch/latest/versions"
    return HalResponse(_consumer_list(urls, provider, consumer, href, refs))


@router.get(BETWEEN + "/branch/{branch:seg}/latest/versions")
def latest_branch_pact_versions(
    request: Request, provider: str, consumer: str, branch: str
) -> HalResponse:
    """``pb:latest-branch-pact-versions``: the newest pact of branch ``branch``, as a list."""
    urls = urls_for(request)
    refs = _find(request, provider, consumer=consumer, branch=branch, latest=True)
    href = f"{urls.pacts_between(provider, consumer)}/branch/{segment(branch)}/latest/versions"
    return HalResponse(_consumer_list(urls, provider, consumer, href, refs))


@router.get(BETWEEN + "/branch/{branch:seg}")
def branch_pact_versions(
    request: Request, provider: str, consumer: str, branch: str
) -> HalResponse:
    """``pb:branch-pact-versions``: every pact of the consumer's branch ``branch``."""
    urls = urls_for(request)
    refs = _find(request, provider, consumer=consumer, branch=branch)
    href = f"{urls.pacts_between(provider, consumer)}/branch/{segment(branch)}"
    return HalResponse(_consumer_list(urls, provider, consumer, href, refs))
