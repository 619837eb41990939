"""HAL bodies of pacts, pact lists, publication results and verification results."""

from collections.abc import Sequence
from typing import Any

from accord_broker.api.hal import Urls, link, segment, timestamp
from accord_broker.api.render import curies, pacticipant_summary
from accord_broker.domain.pacts.contracts import ContractsPublished
from accord_broker.domain.pacts.pact_content import with_interaction_ids
from accord_broker.domain.pacts.pact_lists import PactListing
from accord_broker.domain.pacts.pacts import PactRef
from accord_broker.domain.pacts.publication import PublishOutcome
from accord_broker.domain.verifications.views import VerificationView


def pact_title(ref: PactRef) -> str:
    return (
        f"Pact between {ref.consumer.name} ({ref.consumer_version.number}) and {ref.provider.name}"
    )


def render_pact(urls: Urls, ref: PactRef, *, metadata: str | None = None) -> dict[str, Any]:
    """The pact as published, with ``_id`` on each interaction, ``createdAt`` and the links a
    verifier follows (``pb:publish-verification-results``, ``pb:provider``)."""
    consumer, provider = ref.consumer.name, ref.provider.name
    number, sha = ref.consumer_version.number, ref.pact_version.sha
    between = urls.pacts_between(provider, consumer)
    body = with_interaction_ids(ref.content())
    body["createdAt"] = timestamp(ref.publication.created_at)
    body["_links"] = {
        "self": link(
            urls.pact_for_version(provider, consumer, number), title="Pact", name=pact_title(ref)
        ),
        "pb:consumer": link(urls.pacticipant(consumer), title="Consumer", name=consumer),
        "pb:consumer-version": link(
            urls.version(consumer, number), title="Consumer version", name=number
        ),
        "pb:provider": link(urls.pacticipant(provider), title="Provider", name=provider),
        "pb:pact-version": link(
            urls.pact_version(provider, consumer, sha),
            title="Pact content version permalink",
            name=sha,
        ),
        "pb:latest-pact-version": link(f"{between}/latest", title="Latest version of this pact"),
        "pb:all-pact-versions": link(f"{between}/versions", title="All versions of this pact"),
        "pb:latest-tagged-pact-version": link(
            f"{between}/latest/{{tag}}", title="Latest tagged version of this pact", templated=True
        ),
        "pb:publish-verification-results": link(
            urls.verification_results(provider, consumer, sha, metadata),
            title="Publish verification results",
        ),
        "pb:latest-verification-results": link(
            f"{urls.verification_results(provider, consumer, sha)}/latest",
            title="Latest verification results",
        ),
        "pb:diff": link(
            f"{urls.pact_version(provider, consumer, sha)}/diff/pact-version/{{pactVersion}}",
            title="Diff with another specified version of this pact",
            templated=True,
        ),
        "pb:diff-previous-distinct": link(
            f"{urls.pact_for_version(provider, consumer, number)}/diff/previous-distinct",
            title="Diff with previous distinct version of this pact",
        ),
        "pb:tag-version": link(
            f"{urls.version(consumer, number)}/tags/{{tag}}", title="Tag this consumer version"
        ),
        "curies": curies(urls),
    }
    return body


def render_provider_pacts(
    urls: Urls, provider: str, self_href: str, title: str, refs: Sequence[PactListing]
) -> dict[str, Any]:
    """A provider's pact list with both ``pb:pacts`` and the deprecated ``pacts`` (trap 5).

    The list can hold a whole history (docs/compatibility.md, "Unpaged lists are whole"), so
    each consumer's URL prefix is built once, not once per pact."""
    prefixes: dict[str, str] = {}

    def pact_href(consumer: str, number: str) -> str:
        prefix = prefixes.get(consumer)
        if prefix is None:
            prefix = prefixes[consumer] = f"{urls.pacts_between(provider, consumer)}/version/"
        return prefix + segment(number)

    pacts = [
        {
            "href": pact_href(r.consumer_name, r.consumer_version_number),
            "title": r.title,
            "name": r.consumer_name,
        }
        for r in refs
    ]
    deprecated = [
        {**p, "title": f"DEPRECATED - please use the pb:pacts relation. {p['title']}"}
        for p in pacts
    ]
    return {
        "_links": {
            "self": link(self_href, title=title),
            "pb:provider": link(urls.pacticipant(provider), name=provider),
            "pb:pacts": pacts,
            "provider": link(
                urls.pacticipant(provider),
                title=provider,
                name="DEPRECATED - please use the pb:provider relation",
            ),
            "pacts": deprecated,
        }
    }


def render_latest_pacts(urls: Urls, refs: Sequence[PactListing]) -> dict[str, Any]:
    """``/pacts/latest``: the newest pact of every integration (``list-latest-pact-versions``)."""
    entries = []
    pact_links = []
    pacticipants: dict[str, dict[str, str]] = {}
    for r in refs:
        consumer, provider, number = r.consumer_name, r.provider_name, r.consumer_version_number
        between = urls.pacts_between(provider, consumer)
        pact_href = f"{between}/version/{segment(number)}"
        for name in (consumer, provider):
            if name not in pacticipants:
                pacticipants[name] = {"href": urls.pacticipant(name)}
        entries.append(
            {
                "createdAt": timestamp(r.published_at),
                "_embedded": {
                    "consumer": {
                        "name": consumer,
                        "_links": {"self": pacticipants[consumer]},
                        "_embedded": {"version": {"number": number}},
                    },
                    "provider": {"name": provider, "_links": {"self": pacticipants[provider]}},
                },
                "_links": {
                    "self": [
                        {"href": f"{between}/latest", "title": "Latest pact"},
                        {"href": pact_href, "title": "Pact"},
                    ]
                },
            }
        )
        pact_links.append({"href": pact_href, "title": r.title})
    return {
        "pacts": entries,
        "_links": {
            "self": link(f"{urls.base}/pacts/latest"),
            "pb:pacts": pact_links,
            "pacts": pact_links,
        },
    }


def _notice(kind: str, text: str) -> dict[str, str]:
    return {"type": kind, "text": text}


def render_publish_result(
    urls: Urls, result: ContractsPublished, branch: str | None, tags: tuple[str, ...]
) -> dict[str, Any]:
    """The ``/contracts/publish`` response the CLI prints (``notices``) and parses (``logs``…)."""
    version = result.version
    consumer = version.pacticipant.name
    number = version.number
    described = f"{consumer} version {number}"
    extras = []
    if branch:
        extras.append(f"branch {branch}")
    if tags:
        extras.append(f"tags {', '.join(tags)}")
    detail = f" with {' and '.join(extras)}" if extras else ""
    verb = "Created" if result.version_created else "Updated"
    notices = [_notice("debug", f"{verb} {described}{detail}")]
    contract_links = []
    for contract, provider, published in result.results:
        pact_url = urls.pact_for_version(provider.name, consumer, number)
        if published.outcome is PublishOutcome.UNCHANGED:
            notices.append(
                _notice(
                    "success",
                    f"Pact with the same content was already published for {described} "
                    f"and provider {provider.name}.",
                )
            )
        elif published.outcome is PublishOutcome.REVISED:
            notices.append(
                _notice(
                    "warning",
                    f"Pact with changed content published over existing content for {described} "
                    f"and provider {provider.name}.",
                )
            )
        else:
            notices.append(
                _notice(
                    "success",
                    f"Pact successfully published for {described} and provider {provider.name}.",
                )
            )
        notices.append(_notice("info", f"  View the published pact at {pact_url}"))
        contract_links.append(
            link(
                pact_url,
                title="Pact",
                name=f"Pact between {consumer} ({number}) and {contract.provider_name}",
            )
        )
    if not branch:
        notices.append(
            _notice(
                "prompt",
                "  Next steps:\n    Configure the version branch to be the value of your "
                "repository branch.",
            )
        )
    version_href = urls.version(consumer, number)
    return {
        "notices": notices,
        "logs": [
            {"level": n["type"], "message": n["text"], "deprecationWarning": "Replaced by notices"}
            for n in notices
        ],
        "_embedded": {
            "pacticipant": pacticipant_summary(
                urls, version.pacticipant.name, version.pacticipant.display_name
            ),
            "version": {
                "number": number,
                "_links": {"self": link(version_href, title="Version", name=number)},
            },
        },
        "_links": {
            "pb:pacticipant": link(urls.pacticipant(consumer), title="Pacticipant", name=consumer),
            "pb:pacticipant-version": link(version_href, title="Pacticipant version", name=number),
            "pb:pacticipant-version-tags": [
                link(urls.tag(consumer, number, t), title="Tag", name=t) for t in tags
            ],
            "pb:contracts": contract_links,
        },
    }


def render_verification(
    urls: Urls,
    *,
    verification: VerificationView,
    ref_consumer: str,
    provider: str,
    sha: str,
) -> dict[str, Any]:
    """A verification result; ``verifiedBy`` keys come back snake_case, as the Pact Broker's do."""
    verified_by = verification.verified_by or {}
    client = (
        verified_by.get("clientLanguage")
        if isinstance(verified_by.get("clientLanguage"), dict)
        else {}
    )
    assert isinstance(client, dict)
    href = urls.verification(provider, ref_consumer, sha, verification.number)
    body: dict[str, Any] = {
        "providerName": provider,
        "providerApplicationVersion": verification.provider_version,
        "success": verification.success,
        "verificationDate": timestamp(verification.execution_date),
        "testResults": verification.test_results,
        "verifiedBy": {
            "implementation": verified_by.get("implementation"),
            "version": verified_by.get("version"),
            "client_implementation": client.get("name"),
            "client_test_framework": client.get("testFramework"),
            "client_version": client.get("version"),
        },
        "_links": {
            "self": link(
                href,
                title="Verification result",
                name=f"Verification result {verification.number} for Pact between "
                f"{ref_consumer} and {provider}",
            ),
            "pb:pact-version": link(
                urls.pact_version(provider, ref_consumer, sha), title="Pact", name=sha
            ),
            "pb:provider-version": link(
                urls.version(provider, verification.provider_version),
                title="Provider version",
                name=verification.provider_version,
            ),
        },
    }
    if verification.build_url is not None:
        body["buildUrl"] = verification.build_url
    if verification.wip:
        body["wip"] = True
    if verification.pact_pending is not None:
        body["pactPending"] = verification.pact_pending
    return body
