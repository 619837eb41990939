"""The Pact Broker's pact resources that hang off a pact: its tag list, its previous distinct
version, its diffs, and a verification result read through a metadata URL.

``…/consumer/{c}/tag/{t}`` (``pb:tagged-pact-versions``), ``…/version/{v}/previous-distinct``,
``…/version/{v}/diff/previous-distinct`` (``pb:diff-previous-distinct``) and
``…/version/{v}/diff/version/{v2}`` answer as the Pact Broker's do; the diff text comes from
``domain.diff`` like ``pb:diff``'s. ``…/pact-version/{sha}/metadata/{m}/verification-results/{n}``
is the link the matrix and can-i-deploy give each verification result.
"""

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from accord_broker.api import verifications
from accord_broker.api.hal import HalResponse, header_text, segment
from accord_broker.api.render_pacts import render_pact, render_provider_pacts
from accord_broker.domain.pacts import pact_history, pacts
from accord_broker.domain.pacts.diff import diff_limits, diff_stored_pacts
from accord_broker.domain.pacts.pacts import PactRef
from accord_broker.web.context import broker_of, unit_of_work, urls_for

router = APIRouter()
BETWEEN = "/pacts/provider/{provider:seg}/consumer/{consumer:seg}"
VERSION = BETWEEN + "/version/{number:seg}"


@router.get(BETWEEN + "/tag/{tag:seg}")
def tagged_pact_versions(request: Request, provider: str, consumer: str, tag: str) -> HalResponse:
    """``pb:tagged-pact-versions``: the pacts of consumer versions tagged ``tag``."""
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        refs = pact_history.tagged_pacts_between(session, provider, consumer, tag)
    href = f"{urls.pacts_between(provider, consumer)}/tag/{segment(tag)}"
    title = f"All versions of the pact between {consumer} and {provider} with tag {tag}"
    return HalResponse(render_provider_pacts(urls, provider, href, title, refs))


@router.get(VERSION + "/previous-distinct")
def previous_distinct(request: Request, provider: str, consumer: str, number: str) -> HalResponse:
    """The previous pact with different content (404 when every earlier one is the same)."""
    with unit_of_work(request).read() as session:
        ref = pact_history.previous_distinct_pact(session, provider, consumer, number)
        response = HalResponse(render_pact(urls_for(request), ref))
    response.headers["X-Pact-Consumer-Version"] = header_text(ref.consumer_version.number)
    return response


def _diff_text(request: Request, older: PactRef, newer: PactRef) -> str:
    text = diff_stored_pacts(
        older.pact_version,
        newer.pact_version,
        older_name=older.consumer_version.number,
        newer_name=newer.consumer_version.number,
        limits=diff_limits(broker_of(request).settings),
    )
    return text or "No differences between the interactions of the two pacts."


@router.get(VERSION + "/diff/previous-distinct")
def diff_previous_distinct(
    request: Request, provider: str, consumer: str, number: str
) -> PlainTextResponse:
    """``pb:diff-previous-distinct``: what changed since the previous distinct pact. Like the
    Pact Broker, a pact with nothing before it answers 200 with a sentence saying so."""
    with unit_of_work(request).read() as session:
        newer, older = pact_history.pact_and_previous_distinct(session, provider, consumer, number)
        if older is None:
            return PlainTextResponse(
                f"No previous distinct version was found for the pact between {consumer} "
                f"version {number} and {provider}."
            )
        return PlainTextResponse(_diff_text(request, older, newer))


@router.get(VERSION + "/diff/version/{other:seg}")
def diff_versions(
    request: Request, provider: str, consumer: str, number: str, other: str
) -> PlainTextResponse:
    """What changed from consumer version ``other``'s pact to version ``number``'s."""
    with unit_of_work(request).read() as session:
        newer = pacts.pact_for_version(session, provider, consumer, number)
        older = pacts.pact_for_version(session, provider, consumer, other)
        return PlainTextResponse(_diff_text(request, older, newer))


@router.get(
    BETWEEN + "/pact-version/{sha:seg}/metadata/{metadata:seg}/verification-results/{n:seg}"
)
def verification_with_metadata(
    request: Request, *, provider: str, consumer: str, sha: str, metadata: str, n: str
) -> HalResponse:
    """A verification result through the metadata URL it was published at (same resource)."""
    del metadata  # the metadata says how the pact was selected; the result is the same
    return verifications.get_verification(request, provider, consumer, sha, n)
