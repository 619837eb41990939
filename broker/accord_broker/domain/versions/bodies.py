"""The version body (``PUT``/``PATCH /pacticipants/{name}/versions/{number}``) as a model."""

from typing import Annotated, ClassVar

from pydantic import BeforeValidator

from accord_broker.domain.bodies import BrokerBody, HttpUrl, Name, problem


class TagRef(BrokerBody):
    """One tag of a version, as the Pact Broker's version resource lists it: ``{"name": …}``."""

    name: Name


def _tags(value: object) -> object:
    if value is not None and not isinstance(value, list):
        raise problem("must be an array of objects with a name")
    return value


class VersionBody(BrokerBody):
    """A version's build URL and tags; ``PUT`` replaces the tags, ``PATCH`` adds to them."""

    refusal: ClassVar[str] = "invalid version"

    build_url: HttpUrl = None
    tags: Annotated[list[TagRef] | None, BeforeValidator(_tags)] = None
