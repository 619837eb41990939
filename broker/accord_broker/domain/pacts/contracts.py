"""``POST /contracts/publish``: one consumer version, its branch, tags and pacts, at once."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from accord.pact import content_sha
from accord_broker.db.models import Pacticipant, PactVersion, Version
from accord_broker.domain.bodies import parse_body, refused
from accord_broker.domain.pacticipants.pacticipants import find_or_create_pacticipant
from accord_broker.domain.pacts.bodies import CONTRACTS_FIELD, ContractBody, PublishContractsBody
from accord_broker.domain.pacts.pact_content import check_pact, parse_json_text
from accord_broker.domain.pacts.publication import (
    Published,
    check_publishable,
    current_publication,
    publish_pact,
)
from accord_broker.domain.versions.tag_effects import (
    PACT_BROKER_TAG_EFFECTS,
    TagEffects,
    put_version_on_branch,
    tag_version,
)
from accord_broker.domain.versions.versions import find_or_create_version, set_build_url


@dataclass(frozen=True, slots=True)
class Contract:
    consumer_name: str
    provider_name: str
    content: dict[str, Any]
    text: str
    on_conflict: str


@dataclass(frozen=True, slots=True)
class PublishContractsRequest:
    pacticipant_name: str
    version_number: str
    branch: str | None
    tags: tuple[str, ...]
    build_url: str | None
    contracts: tuple[Contract, ...]


@dataclass(slots=True)
class ContractsPublished:
    version: Version
    version_created: bool
    results: list[tuple[Contract, Pacticipant, Published]] = field(default_factory=list)


def _contract(sent: ContractBody, index: int) -> tuple[Contract | None, str | None]:
    """The contract with its pact read, or the problem of a pact naming other pacticipants (a
    pact that is not one is a 400 naming its JSON path, raised at once)."""
    where = f"{CONTRACTS_FIELD}[{index}].content"
    content = check_pact(parse_json_text(sent.content, field=where), source=where, field=where)
    for role, expected in (("consumer", sent.consumer_name), ("provider", sent.provider_name)):
        if content[role]["name"] != expected:
            return None, (
                f"{role} name in the pact content '{content[role]['name']}' does not match "
                f"{role}Name '{expected}' (at index {index})"
            )
    contract = Contract(
        sent.consumer_name, sent.provider_name, content, sent.content, sent.on_conflict
    )
    return contract, None


def publish_contracts_request(body: PublishContractsBody) -> PublishContractsRequest:
    """The publication a checked body asks for, each pact read; every pact naming other
    pacticipants than its contract is reported at once."""
    contracts: list[Contract] = []
    mismatches: list[str] = []
    for index, sent in enumerate(body.contracts):
        contract, mismatch = _contract(sent, index)
        if contract is not None:
            contracts.append(contract)
        if mismatch is not None:
            mismatches.append(mismatch)
    if mismatches:
        raise refused(PublishContractsBody, {CONTRACTS_FIELD: mismatches})
    return PublishContractsRequest(
        body.pacticipant_name,
        body.pacticipant_version_number,
        body.branch,
        tuple(body.tags or ()),
        body.build_url,
        tuple(contracts),
    )


def read_publish_contracts_request(body: Mapping[str, Any]) -> PublishContractsRequest:
    """The checked publication of a JSON body (tests and tools), or the broker's 400."""
    return publish_contracts_request(parse_body(PublishContractsBody, body))


def _merged(existing: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """``incoming`` plus the interactions of ``existing`` it does not redefine (merge)."""
    merged = dict(incoming)
    for key in ("interactions", "messages"):
        old, new = existing.get(key), incoming.get(key)
        if not isinstance(old, list) or not isinstance(new, list):
            continue
        identity = {
            (i.get("description"), repr(i.get("providerStates", i.get("providerState"))))
            for i in new
            if isinstance(i, dict)
        }
        kept = [
            i
            for i in old
            if isinstance(i, dict)
            and (i.get("description"), repr(i.get("providerStates", i.get("providerState"))))
            not in identity
        ]
        merged[key] = kept + new
    return merged


def publish_contracts(
    session: Session,
    request: PublishContractsRequest,
    *,
    allow_modification: bool,
    effects: TagEffects = PACT_BROKER_TAG_EFFECTS,
) -> ContractsPublished:
    """Create/update the version (build URL, branch, tags), then publish each contract.

    The branch is set before the tags, so a first tag becomes the branch only when the request
    names none (``effects``: what tags and branches imply, the Pact Broker's defaults if omitted).

    Every contract is checked for a content conflict before anything is written, so a refused
    publication leaves no half-published version behind (the transaction is rolled back anyway).
    """
    consumer = find_or_create_pacticipant(session, request.pacticipant_name)
    version, created = find_or_create_version(session, consumer, request.version_number)
    providers = [find_or_create_pacticipant(session, c.provider_name) for c in request.contracts]
    shas = [content_sha(contract.content) for contract in request.contracts]
    for provider, sha in zip(providers, shas, strict=True):
        check_publishable(session, version, provider, sha, allow_modification=allow_modification)
    set_build_url(version, request.build_url)
    if request.branch is not None:
        put_version_on_branch(session, version, request.branch, effects)
    for tag in request.tags:
        tag_version(session, version, tag, effects)
    outcome = ContractsPublished(version, created)
    published_to: set[int] = set()
    for contract, provider, sha in zip(request.contracts, providers, shas, strict=True):
        content, text, content_hash = contract.content, contract.text, sha
        if contract.on_conflict == "merge":
            current = current_publication(session, version, provider)
            stored = session.get(PactVersion, current.pact_version_id) if current else None
            if stored is not None:
                content = _merged(json.loads(stored.content), content)
                text = json.dumps(content, ensure_ascii=False)
                content_hash = content_sha(content)  # merged: new content, its own hash
        published = publish_pact(
            session,
            version,
            provider,
            content,
            text=text,
            sha=content_hash,
            allow_modification=allow_modification or contract.on_conflict == "merge",
            # checked above, unless an earlier contract of this request went to the same
            # provider: then it is compared with what that one just published
            checked=provider.id not in published_to,
        )
        published_to.add(provider.id)
        outcome.results.append((contract, provider, published))
    return outcome
