"""A provider contract publication, from its checked body (``body.ProviderContractBody``).

The document is parsed and validated here with ``accord.openapi`` (OpenAPI 3.0/3.1, every
``$ref`` inside the document), so a contract the broker could never compare is refused at the
door with the JSON pointer of the problem, not stored and found broken later.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.errors import OpenApiError
from accord.openapi import OpenApiDocument, parse_openapi_text
from accord_broker.domain.bodies import parse_body
from accord_broker.domain.provider_contracts.body import ProviderContractBody
from accord_broker.errors import BrokerInputError


@dataclass(frozen=True, slots=True)
class SelfVerification:
    """The provider's own test of its document (e.g. schemathesis or Dredd against the app)."""

    success: bool
    details: dict[str, Any]
    """``content`` (decoded text), ``contentType``, ``format``, ``verifier``, ``verifierVersion``
    as far as given."""


@dataclass(frozen=True, slots=True)
class ProviderContractRequest:
    """A checked publication: the version's facts, the document (text, hash, parsed form)."""

    provider_name: str
    version_number: str
    branch: str | None
    tags: tuple[str, ...]
    build_url: str | None
    specification: str
    content_type: str
    text: str
    sha: str
    document: OpenApiDocument
    self_verification: SelfVerification


def content_sha(text: str) -> str:
    """The identity of a published document: SHA-256 of its UTF-8 text, as published."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse(text: str, provider: str) -> OpenApiDocument:
    try:
        return parse_openapi_text(text, source=f"the provider contract of {provider}")
    except OpenApiError as exc:
        where = f" (at {exc.pointer} in the document)" if exc.pointer else ""
        message = f"{exc.problem}{where}; {exc.hint}"
        raise BrokerInputError(
            f"invalid provider contract: contract.content {message}",
            errors={"contract.content": [message]},
        ) from exc


def provider_contract_request(provider: str, body: ProviderContractBody) -> ProviderContractRequest:
    """The publication a checked body asks for, its document read (else a 400 naming where in
    the document the problem is)."""
    contract = body.contract
    sent = contract.self_verification_results
    return ProviderContractRequest(
        provider_name=provider,
        version_number=body.pacticipant_version_number,
        branch=body.branch,
        tags=tuple(body.tags or ()),
        build_url=body.build_url or None,
        specification=contract.specification,
        content_type=contract.content_type,
        text=contract.content,
        sha=content_sha(contract.content),
        document=_parse(contract.content, provider),
        self_verification=SelfVerification(sent.success, sent.details()),
    )


def read_provider_contract_request(
    provider: str, body: Mapping[str, Any]
) -> ProviderContractRequest:
    """The checked publication of a JSON body (tests and tools), or the broker's 400."""
    return provider_contract_request(provider, parse_body(ProviderContractBody, body))
