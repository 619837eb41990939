"""The ``POST /contracts/publish`` body (what ``pact-broker publish`` sends) as models.

Only the envelope is a model: each contract's ``content`` is held as the pact's decoded JSON
text, a document that ``contracts.publish_contracts_request`` reads with ``accord.pact``, so a
problem inside a pact is named by its JSON path (``contracts[0].content.interactions[0]…``).
Problems of a contract's fields are keyed ``contracts`` and end "(at index N)", the Pact
Broker's wording, which the official clients print.
"""

from typing import Annotated, ClassVar

from pydantic import BeforeValidator, model_validator

from accord_broker.domain.bodies import (
    Base64Text,
    BrokerBody,
    HttpUrl,
    Name,
    NameList,
    OptionalName,
    problem,
    problems,
)

CONTRACTS_FIELD = "contracts"


def _required_text(value: object) -> object:
    if not isinstance(value, str) or not value:
        raise problem("is missing or blank")
    return value


def _specification(value: object) -> object:
    if value != "pact":
        raise problem("must be 'pact' (other contract types are not supported)")
    return value


def _content_type(value: object) -> object:
    if value != "application/json":
        raise problem("must be 'application/json'")
    return value


def _on_conflict(value: object) -> object:
    if value not in ("overwrite", "merge"):
        raise problem("must be 'overwrite' or 'merge'")
    return value


def _contracts(value: object) -> object:
    if not isinstance(value, list):
        raise problem("is missing or not an array")
    return value


RequiredText = Annotated[str, BeforeValidator(_required_text)]


class ContractBody(BrokerBody):
    """One pact of the publication; ``content`` is the pact's JSON text (sent as base64)."""

    consumer_name: RequiredText
    provider_name: RequiredText
    content: Base64Text
    specification: Annotated[str, BeforeValidator(_specification)] = "pact"
    content_type: Annotated[str, BeforeValidator(_content_type)] = "application/json"
    on_conflict: Annotated[str, BeforeValidator(_on_conflict)] = "overwrite"


class PublishContractsBody(BrokerBody):
    """One consumer version with its branch, tags, build URL and pacts."""

    refusal: ClassVar[str] = "invalid publication"
    missing: ClassVar[dict[str, str]] = {
        "consumerName": "is missing or blank",
        "providerName": "is missing or blank",
        "content": "is missing or blank",
        CONTRACTS_FIELD: "is missing or not an array",
    }
    indexed_lists: ClassVar[frozenset[str]] = frozenset({CONTRACTS_FIELD})

    pacticipant_name: Name
    pacticipant_version_number: Name
    branch: OptionalName = None
    tags: NameList = None
    build_url: HttpUrl = None
    contracts: Annotated[list[ContractBody], BeforeValidator(_contracts)]

    @model_validator(mode="after")
    def _contracts_are_the_pacticipants(self) -> "PublishContractsBody":
        found = [
            f"consumerName must match pacticipantName '{self.pacticipant_name}' (at index {i})"
            for i, contract in enumerate(self.contracts)
            if contract.consumer_name != self.pacticipant_name
        ]
        if found:
            raise problems(found, field=CONTRACTS_FIELD)
        return self
