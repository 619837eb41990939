"""Request bodies as typed pydantic models, and their problems as the Pact Broker's 400.

Each JSON body the broker accepts has one model (``PublishContractsBody``,
``ForVerificationBody``, ...) beside the domain function that takes it, so the field names the
official clients send, their types and the name rules are declared once and the domain receives
typed values, never a dict. Models are strict (a wrong type is a 400, never coerced: ``"yes"``
is not ``true``) and ignore fields they do not know, as the Pact Broker does.

:func:`parse_body` turns pydantic's ``ValidationError`` into :class:`BrokerInputError` with the
Pact Broker's ``{"errors": {field: [messages]}}`` shape, so clients print the same sentences as
before and FastAPI's 422 shape never reaches them. The web layer reads the JSON and calls it;
tests and the CLI may call it directly with a dict.
"""

import base64
import binascii
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails, PydanticCustomError

from accord_broker.domain.names import name_problem
from accord_broker.domain.user_urls import http_url_problem
from accord_broker.errors import BrokerInputError

RULES_ERROR = "broker_rules"
"""The error type of a rule check that found several problems at once (``ctx["problems"]``)."""
FIELDS_ERROR = "broker_fields"
"""The error type of a check that found problems in several fields (``ctx["by_field"]``)."""


class BrokerBody(BaseModel):
    """A request body: camelCase on the wire, strict types, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        strict=True,
        extra="ignore",
        frozen=True,
    )

    refusal: ClassVar[str] = "invalid request"
    """The start of the 400's sentence: ``"<refusal>: field: problem; ..."``."""
    missing: ClassVar[dict[str, str]] = {}
    """What an absent required field is told, by field name (else "is missing")."""
    indexed_lists: ClassVar[frozenset[str]] = frozenset()
    """List fields whose items' problems are keyed by the list's name and end "(at index N)"
    (the Pact Broker's wording for selectors); other paths are keyed ``field[N].key``."""


Body = TypeVar("Body", bound=BrokerBody)


def problem(message: str) -> PydanticCustomError:
    """An error whose message is exactly ``message`` (raise it from a validator)."""
    return PydanticCustomError("broker_value", "{message}", {"message": message})


def problems(found: list[str], *, field: str | None = None) -> PydanticCustomError:
    """An error carrying several rule problems, each reported as its own message; ``field``
    names where they belong when a model-wide rule raises it (else: where it was raised)."""
    context = {"summary": "; ".join(found), "problems": tuple(found), "field": field}
    return PydanticCustomError(RULES_ERROR, "{summary}", context)


def field_problems(by_field: dict[str, list[str]]) -> PydanticCustomError:
    """An error carrying problems for several fields at once, each keyed by its full JSON path
    (a model-wide check, such as the headers of a webhook, whose keys are the client's own)."""
    summary = "; ".join(f"{key}: {', '.join(found)}" for key, found in by_field.items())
    frozen = {key: tuple(found) for key, found in by_field.items()}
    return PydanticCustomError(FIELDS_ERROR, "{summary}", {"summary": summary, "by_field": frozen})


def _non_blank(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        raise problem("must be a non-blank string")
    return value


def name_value(value: object) -> object:
    """``value`` if it is a usable name, else the problem (a validator for name fields)."""
    checked = _non_blank(value)
    assert isinstance(checked, str)
    found = name_problem(checked)
    if found is not None:
        raise problem(found)
    return checked


def _optional_name(value: object) -> object:
    return None if value is None else name_value(value)


def text_value(value: object) -> object:
    """``value`` if it is ``None`` or one line of text a name column holds (a validator)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise problem("must be a string")
    found = name_problem(value)
    if found is not None:
        raise problem(found)
    return value


def _http_url(value: object) -> object:
    if value is None:
        return None
    if not isinstance(value, str):
        raise problem("must be a string")
    found = http_url_problem(value) if value else None
    if found is not None:
        raise problem(found)
    return value


Name = Annotated[str, BeforeValidator(name_value)]
"""A pacticipant, version, tag, branch, label or environment name: one non-blank line of text
(no control character such as NUL: PostgreSQL cannot hold it, SQLite would), at most
``NAME_MAX_LENGTH`` characters (``domain.names``)."""

OptionalName = Annotated[str | None, BeforeValidator(_optional_name)]
"""A :data:`Name` that may be absent or ``null``."""

OptionalText = Annotated[str | None, BeforeValidator(text_value)]
"""An optional text shown beside names (display name, repository name): ``None`` or one line."""

HttpUrl = Annotated[str | None, BeforeValidator(_http_url)]
"""An optional http(s) URL a page links to (``domain.user_urls``)."""


def base64_text(value: object) -> object:
    """``value`` decoded from base64 to its UTF-8 text (a validator for documents)."""
    if not isinstance(value, str) or not value:
        raise problem("is missing or blank")
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise problem("is not valid base64 of UTF-8 text") from None


Base64Text = Annotated[str, BeforeValidator(base64_text)]
"""A document sent as base64 of its UTF-8 text (a pact, an OpenAPI document); the model holds
the decoded text, so the domain never sees the encoding."""


def _name_list(value: object) -> object:
    if value is not None and (
        not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value)
    ):
        raise problem("must be an array of non-blank strings")
    return value


NameList = Annotated[list[Name] | None, BeforeValidator(_name_list)]
"""Tags as publishers send them: ``["main", "prod"]``, each a :data:`Name` (``tags[1]``)."""


def parse_body(model: type[Body], data: Mapping[str, Any]) -> Body:
    """``data`` as ``model``, or the 400 that names every field in error and its problems."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise refusal(model, exc) from None


def refusal(model: type[BrokerBody], exc: ValidationError) -> BrokerInputError:
    """The Pact Broker's 400 for ``exc``: ``errors`` keyed by the field's JSON path."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        for key, messages in _located(model, error):
            listed = errors.setdefault(key, [])
            listed += [message for message in messages if message not in listed]
    return refused(model, errors)


def refused(model: type[BrokerBody], errors: dict[str, list[str]]) -> BrokerInputError:
    """The 400 for problems found after the shape was read (a pact inside its envelope, a
    webhook URL against the target policy), worded as the model's own refusals."""
    summary = "; ".join(f"{key}: {', '.join(msgs)}" for key, msgs in errors.items())
    return BrokerInputError(f"{model.refusal}: {summary}", errors=errors)


def _messages(model: type[BrokerBody], error: ErrorDetails) -> list[str]:
    context = error.get("ctx") or {}
    kind = error["type"]
    if kind == RULES_ERROR:
        return [str(p) for p in context["problems"]]
    if kind == "broker_value":
        return [str(context["message"])]
    if kind == "missing":
        return [model.missing.get(str(error["loc"][-1]), "is missing")]
    return [_PLAIN.get(kind, error["msg"])]


_PLAIN = {
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "int_type": "must be an integer",
    "list_type": "must be an array",
    "tuple_type": "must be an array",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "literal_error": "must be true when given",
}
"""Pydantic's built-in problems in the broker's words (others keep pydantic's sentence)."""


def _located(model: type[BrokerBody], error: ErrorDetails) -> list[tuple[str, list[str]]]:
    """Where ``error`` belongs (its field's JSON path) and what it says, one pair per field."""
    loc = list(error["loc"])
    context = error.get("ctx") or {}
    if error["type"] == FIELDS_ERROR:
        return [(str(key), [str(m) for m in found]) for key, found in context["by_field"].items()]
    field = context.get("field")
    if field is not None:
        return [(str(field), _messages(model, error))]
    messages = _messages(model, error)
    if len(loc) >= 2 and loc[0] in model.indexed_lists and isinstance(loc[1], int):
        rest = _path(loc[2:])
        prefix = f"{rest} " if rest else ""
        return [(str(loc[0]), [f"{prefix}{m} (at index {loc[1]})" for m in messages])]
    return [(_path(loc) or "body", messages)]


def _path(loc: list[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
