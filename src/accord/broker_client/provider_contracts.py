"""Publish a provider contract (an OpenAPI document) with ``pf:publish-provider-contract``.

The exchange ``pact pactflow publish-provider-contract`` makes: one ``POST`` with the document
as base64, its content type, the provider version's branch, tags and build URL, and the
provider's *self-verification* (the result of its own tests of the document, e.g. schemathesis
against the running app), which a broker requires: a document alone is no evidence of what the
provider does. The answer's ``notices`` (the broker's account of the publication and, on
accord's broker, of each consumer pact it was compared with) are returned for printing.
"""

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.broker_client.client import BrokerClient, JsonObject
from accord.broker_client.publishing import VersionProperties

PUBLISH_PROVIDER_CONTRACT_RELATION = "pf:publish-provider-contract"


@dataclass(frozen=True, slots=True)
class ProviderContract:
    """The document as it will be stored: its bytes, as given, and their media type."""

    provider: str
    content: bytes
    content_type: str  # application/json or application/yaml


@dataclass(frozen=True, slots=True)
class SelfVerification:
    """The provider's own test of the document: passed or not, with its report if any."""

    success: bool
    verifier: str | None = None
    verifier_version: str | None = None
    content: bytes | None = None
    content_type: str | None = None
    format: str | None = None


@dataclass(frozen=True, slots=True)
class PublishedProviderContract:
    """What the broker said: its notices as ``(type, text)`` pairs, and the whole answer."""

    notices: tuple[tuple[str, str], ...]
    response: JsonObject

    @property
    def incompatible(self) -> bool:
        """Whether the broker reported a consumer pact NOT compatible (accord's broker)."""
        return any(kind == "error" for kind, _ in self.notices)


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def provider_contract_body(
    contract: ProviderContract, version: VersionProperties, verification: SelfVerification
) -> dict[str, Any]:
    """The request body, with only the fields that have a value (as the official CLI sends)."""
    results: dict[str, Any] = {"success": verification.success}
    if verification.content is not None:
        results["content"] = _base64(verification.content)
        results["contentType"] = verification.content_type or "text/plain"
    optional = {
        "format": verification.format,
        "verifier": verification.verifier,
        "verifierVersion": verification.verifier_version,
    }
    results.update({key: value for key, value in optional.items() if value})
    body: dict[str, Any] = {
        "pacticipantVersionNumber": version.number,
        "contract": {
            "content": _base64(contract.content),
            "contentType": contract.content_type,
            "specification": "oas",
            "selfVerificationResults": results,
        },
    }
    if version.branch:
        body["branch"] = version.branch
    if version.tags:
        body["tags"] = list(version.tags)
    if version.build_url:
        body["buildUrl"] = version.build_url
    return body


def _notices(response: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    raw = response.get("notices")
    if not isinstance(raw, list):
        return ()
    return tuple(
        (str(item.get("type", "info")), str(item.get("text", "")))
        for item in raw
        if isinstance(item, Mapping)
    )


def publish_provider_contract(
    client: BrokerClient,
    contract: ProviderContract,
    version: VersionProperties,
    verification: SelfVerification,
) -> PublishedProviderContract:
    """``POST`` the contract to the broker's ``pf:publish-provider-contract`` relation."""
    href = client.index_link(PUBLISH_PROVIDER_CONTRACT_RELATION, provider=contract.provider)
    response = client.post_json(href, provider_contract_body(contract, version, verification))
    return PublishedProviderContract(_notices(response), response)
