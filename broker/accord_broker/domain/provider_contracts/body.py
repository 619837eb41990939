"""The ``pf:publish-provider-contract`` body as models.

What ``pact pactflow publish-provider-contract`` (and the Ruby ``pactflow`` CLI) send::

    {"pacticipantVersionNumber": "1.2.3", "branch": "main", "tags": ["main"], "buildUrl": "…",
     "contract": {"content": "<base64>", "contentType": "application/yaml",
                  "specification": "oas",
                  "selfVerificationResults": {"success": true, "content": "<base64>",
                                              "contentType": "text/plain", "format": "text",
                                              "verifier": "schemathesis",
                                              "verifierVersion": "3.0"}}}

Only the envelope is a model: ``contract.content`` is held as the document's decoded text,
which ``request.provider_contract_request`` reads as OpenAPI.
"""

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator

from accord_broker.domain.bodies import (
    Base64Text,
    BrokerBody,
    HttpUrl,
    NameList,
    base64_text,
    name_value,
    problem,
)

CONTENT_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "application/json")
"""What a provider contract may be sent as (``application/yml`` is read as YAML too)."""
NO_SELF_VERIFICATION = (
    "is missing: publish the result of the provider's own tests of the document "
    "(--verification-success/--no-verification-success or --verification-exit-code, "
    "with --verification-results and --verifier)"
)


def _line(value: object) -> object:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise problem("must be a non-blank single-line string")
    return name_value(value)


def _optional_line(value: object) -> object:
    return None if value is None else _line(value)


def _optional_text(value: object) -> object:
    return None if value is None else base64_text(value)


def _specification(value: object) -> object:
    if value != "oas":
        raise problem(f"'{value}' is not supported; accord compares OpenAPI documents ('oas')")
    return value


def _content_type(value: object) -> object:
    """The media type, lower case, ``yml`` read as ``yaml`` (``application/yaml`` if null)."""
    if value is None:
        return "application/yaml"
    if not isinstance(value, str):
        raise problem("must be a string")
    media = value.split(";")[0].strip().lower().replace("yml", "yaml")
    if media not in CONTENT_TYPES:
        raise problem(
            f"'{value}' is not a provider contract type; use application/yaml or application/json"
        )
    return media


def _self_verification(value: object) -> object:
    if value is None:
        raise problem(NO_SELF_VERIFICATION)
    if not isinstance(value, dict):
        raise problem("must be an object")
    return value


def _contract(value: object) -> object:
    if not isinstance(value, dict):
        raise problem("is missing or not an object")
    return value


class SelfVerificationBody(BrokerBody):
    """The provider's own test of its document (e.g. schemathesis or Dredd against the app)."""

    success: bool
    content: Annotated[str | None, BeforeValidator(_optional_text)] = None
    content_type: str | None = None
    format: str | None = None
    verifier: str | None = None
    verifier_version: str | None = None

    def details(self) -> dict[str, Any]:
        """``content`` (decoded text), ``contentType``, ``format``, ``verifier`` and
        ``verifierVersion`` as far as given (camelCase, as stored and shown)."""
        return self.model_dump(by_alias=True, exclude_none=True, exclude={"success"})


class ProviderContractPart(BrokerBody):
    """The document (an OpenAPI description) and the provider's test of it."""

    content: Base64Text
    content_type: Annotated[str, BeforeValidator(_content_type)] = "application/yaml"
    specification: Annotated[str, BeforeValidator(_specification)] = "oas"
    self_verification_results: Annotated[SelfVerificationBody, BeforeValidator(_self_verification)]


class ProviderContractBody(BrokerBody):
    """A provider version's OpenAPI document, with its branch, tags and build URL."""

    refusal: ClassVar[str] = "invalid provider contract publication"
    missing: ClassVar[dict[str, str]] = {
        "contract": "is missing or not an object",
        "content": "is missing (base64 of the text)",
        "selfVerificationResults": NO_SELF_VERIFICATION,
        "success": "must be true or false",
    }

    pacticipant_version_number: Annotated[str, BeforeValidator(_line)]
    branch: Annotated[str | None, BeforeValidator(_optional_line)] = None
    tags: NameList = None
    build_url: HttpUrl = None
    contract: Annotated[ProviderContractPart, BeforeValidator(_contract)]
