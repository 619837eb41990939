"""Verification results: published against a pact version (content), read back by number."""

from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from accord_broker.api.bodies import parsed
from accord_broker.api.hal import HalResponse, Urls
from accord_broker.api.render_pacts import render_verification
from accord_broker.domain.url_metadata import decode_metadata
from accord_broker.domain.verifications import publishing, verifications
from accord_broker.domain.verifications import views as verification_views
from accord_broker.domain.verifications.bodies import VerificationBody
from accord_broker.domain.verifications.views import VerificationView
from accord_broker.errors import BrokerInputError
from accord_broker.web.context import broker_of, unit_of_work, urls_for

router = APIRouter()
SentResult = Annotated[VerificationBody, Depends(parsed(VerificationBody))]
PACT_VERSION = "/pacts/provider/{provider:seg}/consumer/{consumer:seg}/pact-version/{sha:seg}"


@dataclass(frozen=True, slots=True)
class PactVersionPath:
    """The pact version a verification URL names."""

    provider: str
    consumer: str
    sha: str


def _render(urls: Urls, at: PactVersionPath, v: VerificationView) -> dict[str, Any]:
    return render_verification(
        urls, verification=v, ref_consumer=at.consumer, provider=at.provider, sha=at.sha
    )


def _publish(
    request: Request, at: PactVersionPath, body: VerificationBody, metadata: str | None
) -> HalResponse:
    urls = urls_for(request)
    checked = verifications.verification_request(body)
    flags = decode_metadata(metadata) if metadata else {}
    wip = flags.get("w") == "true"
    pending = {"true": True, "false": False}.get(flags.get("p", ""))

    view = unit_of_work(request).write(
        partial(
            publishing.record_verification_announced,
            provider=at.provider,
            consumer=at.consumer,
            sha=at.sha,
            request=checked,
            wip=wip,
            pact_pending=pending,
            base_url=urls.base,
            metadata=metadata,
        )
    )
    rendered = _render(urls, at, view)
    broker_of(request).metrics.observe_verification(checked.success)
    location = rendered["_links"]["self"]["href"]
    return HalResponse(rendered, status_code=201, headers={"Location": location})


@router.post(PACT_VERSION + "/verification-results")
def publish_verification(
    request: Request, provider: str, consumer: str, sha: str, body: SentResult
) -> HalResponse:
    return _publish(request, PactVersionPath(provider, consumer, sha), body, None)


@router.post(PACT_VERSION + "/metadata/{metadata:seg}/verification-results")
def publish_verification_with_metadata(
    request: Request, *, provider: str, consumer: str, sha: str, metadata: str, body: SentResult
) -> HalResponse:
    """The verifier posts to the link it was given, metadata (WIP, pending) included."""
    return _publish(request, PactVersionPath(provider, consumer, sha), body, metadata)


@router.get(PACT_VERSION + "/verification-results/latest")
def latest_verification(request: Request, provider: str, consumer: str, sha: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        found = verification_views.latest_verification_view(session, provider, consumer, sha)
    return HalResponse(_render(urls_for(request), PactVersionPath(provider, consumer, sha), found))


@router.get(PACT_VERSION + "/verification-results/{number:seg}")
def get_verification(
    request: Request, provider: str, consumer: str, sha: str, number: str
) -> HalResponse:
    if not (number.isascii() and number.isdigit()):
        raise BrokerInputError(
            f"verification result number must be an integer, not {number!r}",
            errors={"number": ["must be an integer"]},
        )
    with unit_of_work(request).read() as session:
        found = verification_views.verification_view(session, provider, consumer, sha, int(number))
    return HalResponse(_render(urls_for(request), PactVersionPath(provider, consumer, sha), found))
