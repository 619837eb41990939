"""The environment body (``POST /environments``, ``PUT /environments/{uuid}``) as a model."""

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, ConfigDict, JsonValue

from accord_broker.domain.bodies import BrokerBody, OptionalText, problem
from accord_broker.domain.names import name_problem


def _environment_name(value: object) -> object:
    """A name that goes on a command line: one word, no control character (``domain.names``)."""
    if not isinstance(value, str) or not value.strip():
        raise problem("is missing or blank")
    if any(c.isspace() for c in value):
        raise problem("cannot contain spaces or new lines")
    found = name_problem(value)
    if found is not None:
        raise problem(found)
    return value


def _contact_name(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        raise problem("is missing or blank")
    return value


def _contacts(value: object) -> object:
    if value is not None and not isinstance(value, list):
        raise problem("must be an array of {name, details}")
    return value


class Contact(BrokerBody):
    """Who to ask about an environment; kept as sent, with any field the client adds."""

    model_config = ConfigDict(extra="allow")
    missing: ClassVar[dict[str, str]] = {"name": "is missing or blank"}

    name: Annotated[str, BeforeValidator(_contact_name)]
    details: dict[str, Any] | None = None

    def stored(self) -> dict[str, Any]:
        """The contact as sent (JSON), for the environment's ``contacts`` column."""
        return self.model_dump(by_alias=True, exclude_unset=True)


class EnvironmentBody(BrokerBody):
    """An environment as a client creates or replaces it."""

    refusal: ClassVar[str] = "invalid environment"
    missing: ClassVar[dict[str, str]] = {
        "name": "is missing or blank",
        "production": "must be true or false",
    }

    name: Annotated[str, BeforeValidator(_environment_name)]
    display_name: OptionalText = None
    production: bool
    contacts: Annotated[list[Contact] | None, BeforeValidator(_contacts)] = None


class DeploymentBody(BrokerBody):
    """``POST …/deployed-versions/environment/{uuid}``: which instance of the application runs
    the version (``target`` is the older name of ``applicationInstance``)."""

    refusal: ClassVar[str] = "invalid deployment"

    application_instance: OptionalText = None
    target: OptionalText = None

    @property
    def instance(self) -> str | None:
        """The instance named (``applicationInstance`` wins when sent; ``""`` means none)."""
        sent = "application_instance" in self.model_fields_set
        return (self.application_instance if sent else self.target) or None


class PlacementPatchBody(BrokerBody):
    """``PATCH /deployed-versions/{uuid}`` or ``/released-versions/{uuid}`` (a JSON merge patch):
    ``currentlyDeployed`` or ``currentlySupported``, whose only allowed value is ``false``.

    Any JSON value is read here, so that ``true`` or ``"no"`` is answered by the domain's rule
    (422 with the Pact Broker's sentence), not as a wrong type.
    """

    refusal: ClassVar[str] = "invalid patch"

    currently_deployed: JsonValue = None
    currently_supported: JsonValue = None

    def sent(self, flag: str) -> tuple[bool, JsonValue]:
        """Whether the patch sets ``flag`` (the JSON key), and to what."""
        for name, field in type(self).model_fields.items():
            if field.alias == flag:
                return name in self.model_fields_set, getattr(self, name)
        return False, None
