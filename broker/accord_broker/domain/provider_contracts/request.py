"""The ``pf:publish-provider-contract`` body, checked field by field before anything is stored.

What ``pact pactflow publish-provider-contract`` (and the Ruby ``pactflow`` CLI) send::

    {"pacticipantVersionNumber": "1.2.3", "branch": "main", "tags": ["main"], "buildUrl": "…",
     "contract": {"content": "<base64>", "contentType": "application/yaml",
                  "specification": "oas",
                  "selfVerificationResults": {"success": true, "content": "<base64>",
                                              "contentType": "text/plain", "format": "text",
                                              "verifier": "schemathesis",
                                              "verifierVersion": "3.0"}}}

The document is parsed and validated here with ``accord.openapi`` (OpenAPI 3.0/3.1, every
``$ref`` inside the document), so a contract the broker could never compare is refused at the
door with the JSON pointer of the problem, not stored and found broken later.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from accord.errors import OpenApiError
from accord.openapi import OpenApiDocument, parse_openapi_text
from accord_broker.domain.user_urls import http_url_problem
from accord_broker.errors import BrokerInputError

CONTENT_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "application/json")
"""What a provider contract may be sent as (``application/yml`` is read as YAML too)."""

_SELF_VERIFICATION_TEXT = ("contentType", "format", "verifier", "verifierVersion")


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


def _line(body: dict[str, Any], key: str, errors: dict[str, list[str]], *, required: bool) -> Any:
    value = body.get(key)
    if value is None:
        if required:
            errors.setdefault(key, []).append("is missing")
        return None
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        errors.setdefault(key, []).append("must be a non-blank single-line string")
        return None
    return value


def _decode(value: Any, where: str, errors: dict[str, list[str]]) -> str | None:
    if not isinstance(value, str) or not value:
        errors.setdefault(where, []).append("is missing (base64 of the text)")
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        errors.setdefault(where, []).append("is not valid base64 of UTF-8 text")
        return None


def _self_verification(raw: Any, errors: dict[str, list[str]]) -> SelfVerification | None:
    where = "contract.selfVerificationResults"
    if raw is None:
        errors.setdefault(where, []).append(
            "is missing: publish the result of the provider's own tests of the document "
            "(--verification-success/--no-verification-success or --verification-exit-code, "
            "with --verification-results and --verifier)"
        )
        return None
    if not isinstance(raw, dict):
        errors.setdefault(where, []).append("must be an object")
        return None
    success = raw.get("success")
    if not isinstance(success, bool):
        errors.setdefault(f"{where}.success", []).append("must be true or false")
        return None
    details: dict[str, Any] = {}
    if raw.get("content") is not None:
        text = _decode(raw.get("content"), f"{where}.content", errors)
        if text is not None:
            details["content"] = text
    for key in _SELF_VERIFICATION_TEXT:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            errors.setdefault(f"{where}.{key}", []).append("must be a string")
        elif value is not None:
            details[key] = value
    return SelfVerification(success, details)


def _content_type(raw: Any, errors: dict[str, list[str]]) -> str:
    value = raw if raw is not None else "application/yaml"
    if not isinstance(value, str):
        errors.setdefault("contract.contentType", []).append("must be a string")
        return "application/yaml"
    media = value.split(";")[0].strip().lower().replace("yml", "yaml")
    if media not in CONTENT_TYPES:
        errors.setdefault("contract.contentType", []).append(
            f"'{value}' is not a provider contract type; use application/yaml or application/json"
        )
    return media


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


def read_provider_contract_request(provider: str, body: dict[str, Any]) -> ProviderContractRequest:
    """Validate a publication; every field problem is reported at once, then the document."""
    errors: dict[str, list[str]] = {}
    version = _line(body, "pacticipantVersionNumber", errors, required=True)
    branch = _line(body, "branch", errors, required=False)
    build_url = body.get("buildUrl")
    if build_url is not None and not isinstance(build_url, str):
        errors["buildUrl"] = ["must be a string"]
    elif build_url and (problem := http_url_problem(build_url)) is not None:
        errors["buildUrl"] = [problem]
    tags = body.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        errors["tags"] = ["must be an array of non-blank strings"]
        tags = []
    contract = body.get("contract")
    if not isinstance(contract, dict):
        errors["contract"] = ["is missing or not an object"]
        contract = {}
    specification = contract.get("specification", "oas")
    if specification != "oas":
        errors.setdefault("contract.specification", []).append(
            f"'{specification}' is not supported; accord compares OpenAPI documents ('oas')"
        )
    content_type = _content_type(contract.get("contentType"), errors)
    text = _decode(contract.get("content"), "contract.content", errors)
    self_verification = _self_verification(contract.get("selfVerificationResults"), errors)
    if errors:
        summary = "; ".join(f"{key}: {', '.join(msgs)}" for key, msgs in errors.items())
        raise BrokerInputError(f"invalid provider contract publication: {summary}", errors=errors)
    assert isinstance(version, str) and text is not None and self_verification is not None
    return ProviderContractRequest(
        provider_name=provider,
        version_number=version,
        branch=branch,
        tags=tuple(tags),
        build_url=build_url if isinstance(build_url, str) and build_url else None,
        specification="oas",
        content_type=content_type,
        text=text,
        sha=content_sha(text),
        document=_parse(text, provider),
        self_verification=self_verification,
    )
