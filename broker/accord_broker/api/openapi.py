"""The broker's OpenAPI document (``/openapi.json``), made to tell the truth about every route.

FastAPI derives the document from signatures, and the broker's routes do not say everything
there: they answer HAL (``application/hal+json``), read their JSON body themselves
(``bodies.json_object``), answer 201 when they create and 204 when they delete, and turn every
problem into the Pact Broker's error body with a 4xx, never FastAPI's 422. Fuzzing the broker
against its own document (``tests/broker/test_openapi_fuzz.py``) checks each answer against
what is documented, so the document is completed here from what the routes really do.
"""

import typing
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.responses import Response

from accord_broker.api.bodies import BODY_MODEL, json_object

ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["error", "errors"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong, in one sentence."},
        "errors": {
            "type": ["array", "object"],
            "description": "Sentences, or a map from the field (JSON path) to its problems.",
        },
        "notices": {"type": "array", "items": {"type": "object"}},
    },
}
"""The Pact Broker's error body, which every official client prints (``api/errors.py``)."""

_ERRORS = {
    "description": "The request was refused: the body says what, where and how to fix it.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_JSON_MEDIA_TYPES = ("application/json", "application/hal+json", "application/merge-patch+json")


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """A request body of ``schema`` in each JSON media type (an empty body reads as ``{}``)."""
    return {
        "required": False,
        "content": {media: {"schema": schema} for media in _JSON_MEDIA_TYPES},
    }


_ROUTES: dict[str, APIRoute] = {}
"""Each operation id's route, so the document can be completed from the handler behind it."""


def unique_operation_id(route: APIRoute) -> str:
    """``module.function_method``: two routers may name a handler alike (FastAPI would warn).

    FastAPI asks this for every route it builds; the route is remembered under its id.
    """
    module = route.endpoint.__module__.rsplit(".", 1)[-1]
    methods = "_".join(sorted(route.methods or ())).lower()
    operation_id = f"{module}.{route.name}_{methods}"
    _ROUTES[operation_id] = route
    return operation_id


def install_openapi(app: FastAPI) -> None:
    """Serve the completed document at ``/openapi.json`` (built once, on first request)."""
    cached: dict[str, Any] = {}

    def document() -> dict[str, Any]:
        if not cached:
            base = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            cached.update(describe_routes(base))
        return cached

    app.openapi = document  # type: ignore[method-assign]


def describe_routes(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each documented route's statuses, media types and body made true."""
    document.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_BODY
    schemas = document["components"]["schemas"]
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            route = _ROUTES.get(operation.get("operationId", ""))
            if route is not None:
                _describe(operation, route, method.upper(), schemas)
    return document


def _describe(
    operation: dict[str, Any], route: APIRoute, method: str, schemas: dict[str, Any]
) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)  # FastAPI's validation shape: the broker answers 400 instead
    success = responses.pop("200", {"description": "Successful Response"})
    media_type = _media_type(route.endpoint)
    if media_type is None and method == "DELETE":
        responses["204"] = {"description": "Deleted (no content)."}
    else:
        if media_type is not None:
            success["content"] = {media_type: {"schema": {}}}
        responses["200"] = success
        if method in ("POST", "PUT", "PATCH"):
            responses["201"] = {**success, "description": "Created."}
    responses["4XX"] = _ERRORS
    if "requestBody" in operation:
        return
    model = _body_model(route.dependant)
    if model is not None:
        operation["requestBody"] = _json_body(_model_schema(model, schemas))
    elif _reads_json_body(route.dependant):
        operation["requestBody"] = _json_body({"type": "object"})


def _model_schema(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    """A reference to ``model``'s JSON schema (as the clients send it: camelCase), which is
    added to the document's components with the models it uses."""
    schema = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _body_model(dependant: Dependant) -> type[BaseModel] | None:
    """The model a :func:`~accord_broker.api.bodies.parsed` dependency reads the body as."""
    for dep in _all_dependencies(dependant):
        model = getattr(dep.call, BODY_MODEL, None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model
    return None


def _media_type(endpoint: Callable[..., Any]) -> str | None:
    """The media type of the response class the handler says it returns (``None``: not said)."""
    try:
        returned = typing.get_type_hints(endpoint).get("return")
    except (NameError, TypeError):
        return None
    if isinstance(returned, type) and issubclass(returned, Response) and returned.media_type:
        return returned.media_type.split(";")[0].strip()
    return None


def _reads_json_body(dependant: Dependant) -> bool:
    return any(dep.call is json_object for dep in _all_dependencies(dependant))


def _all_dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for dep in dependant.dependencies:
        yield dep
        yield from _all_dependencies(dep)
