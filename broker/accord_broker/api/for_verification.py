"""``/pacts/provider/{provider}/for-verification``: which pacts a provider build must verify.

``POST`` takes the selectors, pending and WIP options (camelCase JSON, as every official client
sends them). ``GET`` is what the Rust verifier calls first to find the POST target in
``_links.self``; it also answers with the pacts for the default selectors (or for the deprecated
snake_case query parameters ``provider_version_branch``, ``provider_version_tags[]``,
``include_pending_status``, ``include_wip_pacts_since``).

Each entry carries ``shortDescription`` and ``verificationProperties.notices`` always: the Rust
clients reject the whole response without them (clients.md trap 4).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from accord_broker.api.bodies import parsed
from accord_broker.api.hal import HalResponse, Urls, link
from accord_broker.api.query_docs import FOR_VERIFICATION_QUERY
from accord_broker.domain.for_verification.body import ForVerificationBody
from accord_broker.domain.for_verification.notices import notices, self_metadata, short_description
from accord_broker.domain.for_verification.resolution import VerifiablePact, pacts_for_verification
from accord_broker.domain.for_verification.selectors import (
    ForVerificationRequest,
    for_verification_request,
    parse_for_verification_request,
)
from accord_broker.web.context import unit_of_work, urls_for

router = APIRouter()
SentBody = Annotated[ForVerificationBody, Depends(parsed(ForVerificationBody))]
PATH = "/pacts/provider/{provider:seg}/for-verification"


def render_entry(
    urls: Urls, provider: str, pact: VerifiablePact, *, include_pending_status: bool
) -> dict[str, Any]:
    metadata = self_metadata(pact, include_pending_status=include_pending_status)
    href = urls.pact_version(provider, pact.consumer_name, pact.sha, metadata)
    properties: dict[str, Any] = {}
    if include_pending_status:
        properties["pending"] = bool(pact.pending)
    if pact.wip:
        properties["wip"] = True
    properties["notices"] = notices(pact, href, include_pending_status=include_pending_status)
    name = f"Pact between {pact.consumer_name} ({pact.consumer_version_number}) and {provider}"
    return {
        "shortDescription": short_description(pact),
        "verificationProperties": properties,
        "_links": {"self": link(href, name=name)},
    }


def _answer(request: Request, provider: str, query: ForVerificationRequest) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        pacts = pacts_for_verification(session, provider, query)
    pending = query.include_pending_status
    return HalResponse(
        {
            "_embedded": {
                "pacts": [
                    render_entry(urls, provider, p, include_pending_status=pending) for p in pacts
                ]
            },
            "_links": {
                "self": link(
                    f"{urls.provider_pacts(provider)}/for-verification",
                    title="Pacts to be verified",
                )
            },
        }
    )


@router.post(PATH)
def post_pacts_for_verification(request: Request, provider: str, body: SentBody) -> HalResponse:
    return _answer(request, provider, for_verification_request(body))


@router.get(PATH, openapi_extra=FOR_VERIFICATION_QUERY)
def get_pacts_for_verification(request: Request, provider: str) -> HalResponse:
    params = request.query_params
    body: dict[str, Any] = {}
    if "provider_version_branch" in params:
        body["providerVersionBranch"] = params["provider_version_branch"]
    tags = params.getlist("provider_version_tags[]") or params.getlist("provider_version_tags")
    if tags:
        body["providerVersionTags"] = tags
    if "include_pending_status" in params:
        body["includePendingStatus"] = params["include_pending_status"].lower() == "true"
    if "include_wip_pacts_since" in params:
        body["includeWipPactsSince"] = params["include_wip_pacts_since"]
    return _answer(request, provider, parse_for_verification_request(body))
