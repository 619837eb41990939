"""``POST /contracts/publish``: one consumer version, its branch, tags and pacts, at once."""

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from accord.pact import content_sha
from accord_broker.db.models import Pacticipant, PactVersion, Version
from accord_broker.domain.names import name_problem
from accord_broker.domain.pacticipants.pacticipants import find_or_create_pacticipant
from accord_broker.domain.pacts.pact_content import check_pact, parse_json_text
from accord_broker.domain.pacts.publication import (
    Published,
    check_publishable,
    current_publication,
    publish_pact,
)
from accord_broker.domain.user_urls import http_url_problem
from accord_broker.domain.versions.tag_effects import (
    PACT_BROKER_TAG_EFFECTS,
    TagEffects,
    put_version_on_branch,
    tag_version,
)
from accord_broker.domain.versions.versions import find_or_create_version, set_build_url
from accord_broker.errors import BrokerInputError


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


def _single_line(
    body: dict[str, Any], key: str, errors: dict[str, list[str]], *, required: bool
) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            errors.setdefault(key, []).append("is missing")
        return None
    if not isinstance(value, str) or not value.strip():
        errors.setdefault(key, []).append("must be a non-blank string")
        return None
    problem = name_problem(value)
    if problem is not None:
        errors.setdefault(key, []).append(problem)
        return None
    return value


def _contract(
    raw: Any, index: int, pacticipant: str | None, errors: dict[str, list[str]]
) -> Contract | None:
    where = f"contracts[{index}]"
    if not isinstance(raw, dict):
        errors.setdefault("contracts", []).append(f"{where} must be an object")
        return None
    problems: list[str] = []
    for key in ("consumerName", "providerName", "content"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            problems.append(f"{key} is missing or blank")
    if raw.get("specification", "pact") != "pact":
        problems.append("specification must be 'pact' (other contract types are not supported)")
    if raw.get("contentType", "application/json") != "application/json":
        problems.append("contentType must be 'application/json'")
    on_conflict = raw.get("onConflict", "overwrite")
    if on_conflict not in ("overwrite", "merge"):
        problems.append("onConflict must be 'overwrite' or 'merge'")
    if pacticipant is not None and raw.get("consumerName") not in (None, pacticipant):
        problems.append(f"consumerName must match pacticipantName '{pacticipant}'")
    if problems:
        errors.setdefault("contracts", []).extend(f"{p} (at index {index})" for p in problems)
        return None
    try:
        text = base64.b64decode(raw["content"], validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        errors.setdefault("contracts", []).append(
            f"content is not valid base64 of UTF-8 text (at index {index})"
        )
        return None
    content = check_pact(
        parse_json_text(text, field=f"{where}.content"),
        source=f"{where}.content",
        field=f"{where}.content",
    )
    for role, expected in (("consumer", raw["consumerName"]), ("provider", raw["providerName"])):
        if content[role]["name"] != expected:
            errors.setdefault("contracts", []).append(
                f"{role} name in the pact content '{content[role]['name']}' does not match "
                f"{role}Name '{expected}' (at index {index})"
            )
            return None
    return Contract(raw["consumerName"], raw["providerName"], content, text, on_conflict)


def read_publish_contracts_request(body: dict[str, Any]) -> PublishContractsRequest:
    """Validate a publish body; every problem is reported at once, keyed by field."""
    errors: dict[str, list[str]] = {}
    pacticipant = _single_line(body, "pacticipantName", errors, required=True)
    version = _single_line(body, "pacticipantVersionNumber", errors, required=True)
    branch = _single_line(body, "branch", errors, required=False)
    build_url = body.get("buildUrl")
    if build_url is not None and not isinstance(build_url, str):
        errors["buildUrl"] = ["must be a string"]
    elif build_url and (problem := http_url_problem(build_url)) is not None:
        errors["buildUrl"] = [problem]
    tags = body.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        errors["tags"] = ["must be an array of non-blank strings"]
        tags = []
    for index, tag in enumerate(tags):
        if (problem := name_problem(tag)) is not None:
            errors[f"tags[{index}]"] = [problem]
    raw_contracts = body.get("contracts")
    contracts: list[Contract] = []
    if not isinstance(raw_contracts, list):
        errors.setdefault("contracts", []).append("is missing or not an array")
    else:
        for index, raw in enumerate(raw_contracts):
            contract = _contract(raw, index, pacticipant, errors)
            if contract is not None:
                contracts.append(contract)
    if errors:
        summary = "; ".join(f"{key}: {', '.join(msgs)}" for key, msgs in errors.items())
        raise BrokerInputError(f"invalid publication: {summary}", errors=errors)
    assert pacticipant is not None and version is not None
    return PublishContractsRequest(
        pacticipant,
        version,
        branch,
        tuple(tags),
        build_url if isinstance(build_url, str) else None,
        tuple(contracts),
    )


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
