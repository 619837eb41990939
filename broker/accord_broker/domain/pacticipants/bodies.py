"""The pacticipant body (``POST /pacticipants``, ``PUT``/``PATCH /pacticipants/{name}``)."""

from typing import Annotated, ClassVar

from pydantic import BeforeValidator

from accord_broker.domain.bodies import (
    BrokerBody,
    HttpUrl,
    Name,
    OptionalText,
    problem,
    text_value,
)


def _main_branch(value: object) -> object:
    checked = text_value(value)
    if isinstance(checked, str) and " " in checked:
        raise problem("cannot contain spaces")
    return checked


EDITABLE_FIELDS = (
    "display_name",
    "main_branch",
    "repository_url",
    "repository_name",
    "repository_namespace",
)
"""The fields a client may set (model attribute names, which are also the column names)."""


class PacticipantBody(BrokerBody):
    """A pacticipant's editable fields; on ``PATCH`` only those sent are changed."""

    refusal: ClassVar[str] = "invalid pacticipant"

    display_name: OptionalText = None
    main_branch: Annotated[str | None, BeforeValidator(_main_branch)] = None
    repository_url: HttpUrl = None
    repository_name: OptionalText = None
    repository_namespace: OptionalText = None

    def sent(self) -> set[str]:
        """The editable fields the client sent (``null`` included)."""
        return self.model_fields_set & set(EDITABLE_FIELDS)


class NewPacticipantBody(PacticipantBody):
    """``POST /pacticipants``: the editable fields and the name."""

    missing: ClassVar[dict[str, str]] = {"name": "must be a non-blank string"}

    name: Name
