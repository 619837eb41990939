"""Publish verification results to the URL the broker gave for each pact.

The body follows what the official verifiers send (``providerApplicationVersion``, ``success``,
``buildUrl``, ``testResults`` with ``interactionId`` and mismatches, ``verifiedBy``), so our
broker and the Pact Broker both accept it. Branch and tags are recorded on the provider version
first, through the pact's ``pb:provider`` resource, as the official clients do.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any

from accord.broker_client import BrokerClient
from accord.errors import BrokerError
from accord.verifier.previews import byte_preview
from accord.verifier.reports.console import body_diff_lines
from accord.verifier.results import InteractionResult, PactResult, PublicationOutcome


def _json_safe(value: Any) -> Any:
    """``value`` as JSON can carry it: bytes as a hex preview, unknown types as their repr."""
    if isinstance(value, bytes | bytearray):
        return byte_preview(value)
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


def _test_result(result: InteractionResult) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "interactionDescription": result.description,
        "success": result.success,
    }
    if result.interaction_id:
        entry["interactionId"] = result.interaction_id
    if result.mismatches:
        entry["mismatches"] = [
            {
                "attribute": m.attribute,
                "identifier": m.path,
                "description": m.message,
                # the values too, so a broker page can show what the console printed
                "expected": _json_safe(m.expected),
                "actual": _json_safe(m.actual),
            }
            for m in result.mismatches
        ]
    diff = body_diff_lines(result)
    if diff:
        entry["diff"] = "\n".join(diff)
    if result.error is not None:
        entry["exceptions"] = [{"message": result.error}]
    return entry


def results_body(
    pact: PactResult, *, provider_version: str, build_url: str | None
) -> dict[str, Any]:
    from accord import __version__

    body: dict[str, Any] = {
        "providerApplicationVersion": provider_version,
        "success": pact.success,
        "testResults": [_test_result(result) for result in pact.interactions],
        "verifiedBy": {"implementation": "accord", "version": __version__},
    }
    if build_url:
        body["buildUrl"] = build_url
    return body


def publish_results(
    client: BrokerClient,
    pacts: Sequence[PactResult],
    *,
    provider_version: str,
    provider_branch: str | None = None,
    provider_tags: Sequence[str] = (),
    build_url: str | None = None,
) -> list[PublicationOutcome]:
    """Publish each pact's results; a failure to publish is reported, never raised."""
    outcomes: list[PublicationOutcome] = []
    for pact in pacts:
        if pact.publish_url is None:
            outcomes.append(
                PublicationOutcome(
                    pact.source,
                    None,
                    False,
                    "the pact has no 'pb:publish-verification-results' link",
                )
            )
            continue
        try:
            if (provider_branch or provider_tags) and pact.provider_url:
                client.record_provider_version(
                    pact.provider_url, provider_version, branch=provider_branch, tags=provider_tags
                )
            answer = client.publish_verification_results(
                pact.publish_url,
                results_body(pact, provider_version=provider_version, build_url=build_url),
            )
        except BrokerError as exc:
            outcomes.append(PublicationOutcome(pact.source, pact.publish_url, False, str(exc)))
        else:
            outcomes.append(
                PublicationOutcome(pact.source, pact.publish_url, True, "ok", _self_href(answer))
            )
    return outcomes


def _self_href(resource: Mapping[str, Any]) -> str | None:
    links = resource.get("_links")
    link = links.get("self") if isinstance(links, Mapping) else None
    href = link.get("href") if isinstance(link, Mapping) else None
    return href if isinstance(href, str) else None
