"""The values of the template variables for one triggered webhook.

Facts are read from the database when the webhook runs (:func:`pact_facts`,
:func:`verification_facts`); :func:`template_values` turns them, and the event context stored
when the webhook was triggered, into the variables' text. Context wins over facts, as in the Pact
Broker: it holds what was true at trigger time (the publication's tags and branch, the provider
version a ``contract_requiring_verification_published`` delivery is for, the deployed provider
version a ``currentlyDeployedProviderVersionNumber`` delivery is for).
"""

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    Label,
    Pacticipant,
    PactPublication,
    PactVersion,
    Verification,
    Version,
)
from accord_broker.domain.versions.branches import branch_names_of
from accord_broker.domain.versions.tags import tags_of
from accord_broker.domain.webhooks.deployed import CONTEXT_KEY as CURRENTLY_DEPLOYED_KEY


@dataclass(frozen=True, slots=True)
class PactFacts:
    consumer_name: str
    provider_name: str
    consumer_version_number: str
    consumer_version_tags: tuple[str, ...]
    consumer_version_branches: tuple[str, ...]
    sha: str
    consumer_labels: tuple[str, ...] = ()
    provider_labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VerificationFacts:
    consumer_name: str
    provider_name: str
    sha: str
    number: int
    success: bool
    provider_version_number: str
    provider_version_tags: tuple[str, ...]
    provider_version_branches: tuple[str, ...]


def _segment(value: str) -> str:
    return quote(value, safe="")


def pact_version_url(base_url: str, provider: str, consumer: str, sha: str) -> str:
    pair = f"provider/{_segment(provider)}/consumer/{_segment(consumer)}"
    return f"{base_url.rstrip('/')}/pacts/{pair}/pact-version/{sha}"


def webhook_pact_url(base_url: str, pact: PactFacts) -> str:
    """The pact-version permalink with the metadata a webhook-triggered build sends back:
    the consumer version (``cvn``), its tags (``cvt``) and ``w=true``."""
    pairs = [f"cvn={quote(pact.consumer_version_number, safe='')}"]
    pairs += [f"cvt[]={quote(tag, safe='')}" for tag in pact.consumer_version_tags]
    pairs.append("w=true")
    metadata = base64.urlsafe_b64encode("&".join(pairs).encode()).decode().rstrip("=")
    url = pact_version_url(base_url, pact.provider_name, pact.consumer_name, pact.sha)
    return f"{url}/metadata/{metadata}"


def _status(verification: VerificationFacts | None, success: str, failure: str, none: str) -> str:
    if verification is None:
        return none
    return success if verification.success else failure


def _joined(context: Mapping[str, Any], key: str, fallback: Sequence[str]) -> str:
    given = context.get(key)
    return ", ".join(given) if isinstance(given, list) else ", ".join(fallback)


def _branch(context: Mapping[str, Any], key: str, branches: Sequence[str]) -> str:
    if key in context:
        return str(context[key] or "")
    return branches[-1] if branches else ""


def template_values(
    base_url: str,
    pact: PactFacts | None,
    verification: VerificationFacts | None,
    context: Mapping[str, Any],
) -> dict[str, str]:
    """Every variable's text (``""`` when there is nothing to say)."""
    v = verification
    return {
        "pactUrl": webhook_pact_url(base_url, pact) if pact else "",
        "verificationResultUrl": (
            pact_version_url(base_url, v.provider_name, v.consumer_name, v.sha)
            + f"/verification-results/{v.number}"
            if v
            else ""
        ),
        "consumerName": pact.consumer_name if pact else "",
        "providerName": pact.provider_name if pact else "",
        "consumerVersionNumber": str(
            context.get("consumer_version_number") or (pact.consumer_version_number if pact else "")
        ),
        "providerVersionNumber": str(
            context.get("provider_version_number") or (v.provider_version_number if v else "")
        ),
        "consumerVersionTags": _joined(
            context, "consumer_version_tags", pact.consumer_version_tags if pact else ()
        ),
        "providerVersionTags": _joined(
            context, "provider_version_tags", v.provider_version_tags if v else ()
        ),
        "consumerVersionBranch": _branch(
            context, "consumer_version_branch", pact.consumer_version_branches if pact else ()
        ),
        "providerVersionBranch": _branch(
            context, "provider_version_branch", v.provider_version_branches if v else ()
        ),
        "providerVersionDescriptions": _joined(context, "provider_version_descriptions", ()),
        "consumerLabels": ", ".join(pact.consumer_labels) if pact else "",
        "providerLabels": ", ".join(pact.provider_labels) if pact else "",
        "githubVerificationStatus": _status(v, "success", "failure", "pending"),
        "bitbucketVerificationStatus": _status(v, "SUCCESSFUL", "FAILED", "INPROGRESS"),
        "azureDevOpsVerificationStatus": _status(v, "succeeded", "failed", "pending"),
        "gitlabVerificationStatus": _status(v, "success", "failed", "pending"),
        "buildUrl": str(context.get("build_url") or ""),
        "eventName": str(context.get("event_name") or ""),
        "currentlyDeployedProviderVersionNumber": str(context.get(CURRENTLY_DEPLOYED_KEY) or ""),
    }


def _labels(session: Session, pacticipant_id: int) -> tuple[str, ...]:
    return tuple(
        session.scalars(
            select(Label.name).where(Label.pacticipant_id == pacticipant_id).order_by(Label.name)
        ).all()
    )


def _name(session: Session, pacticipant_id: int) -> str:
    pacticipant = session.get(Pacticipant, pacticipant_id)
    assert pacticipant is not None
    return pacticipant.name


def _version_facts(
    session: Session, version_id: int
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    version = session.get(Version, version_id)
    assert version is not None
    tags = tuple(tag.name for tag in tags_of(session, version))
    branches = tuple(name for name, _ in branch_names_of(session, version))
    return version.number, tags, branches


def pact_facts(session: Session, publication: PactPublication) -> PactFacts:
    pact_version = session.get(PactVersion, publication.pact_version_id)
    assert pact_version is not None
    number, tags, branches = _version_facts(session, publication.consumer_version_id)
    return PactFacts(
        consumer_name=_name(session, publication.consumer_id),
        provider_name=_name(session, publication.provider_id),
        consumer_version_number=number,
        consumer_version_tags=tags,
        consumer_version_branches=branches,
        sha=pact_version.sha,
        consumer_labels=_labels(session, publication.consumer_id),
        provider_labels=_labels(session, publication.provider_id),
    )


def verification_facts(session: Session, verification: Verification) -> VerificationFacts:
    pact_version = session.get(PactVersion, verification.pact_version_id)
    assert pact_version is not None
    number, tags, branches = _version_facts(session, verification.provider_version_id)
    return VerificationFacts(
        consumer_name=_name(session, verification.consumer_id),
        provider_name=_name(session, verification.provider_id),
        sha=pact_version.sha,
        number=verification.number,
        success=verification.success,
        provider_version_number=number,
        provider_version_tags=tags,
        provider_version_branches=branches,
    )


def latest_verification_of(session: Session, pact_version_id: int) -> Verification | None:
    """The newest verification of some content (what pact events show, when none was picked)."""
    return session.scalar(
        select(Verification)
        .where(Verification.pact_version_id == pact_version_id)
        .order_by(Verification.id.desc())
        .limit(1)
    )
