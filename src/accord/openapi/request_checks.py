"""The request half of the comparison: query, headers, credentials and body.

A required parameter the pact leaves out, or a value its schema refuses, breaks the pair (the
provider would answer 400); a parameter or header the document does not mention is a warning
(the provider may ignore it). Credentials are judged by the operation's ``security``
alternatives; the body by the ``requestBody`` media type that serves the pact's content type.
"""

from collections.abc import Mapping
from typing import Any

from accord.openapi.bodies import show
from accord.openapi.context import BodyTarget, InteractionContext
from accord.openapi.document import Operation, Parameter, pointer_join
from accord.openapi.findings import Severity
from accord.openapi.media import check_media_body
from accord.openapi.values import choose_media_type, coerce_parameter, media_type
from accord.pact.model import BodyKind, HttpRequest

#: Request headers every HTTP client may send; an undocumented one is not worth a warning.
STANDARD_REQUEST_HEADERS = frozenset(
    [
        "accept",
        "accept-charset",
        "accept-encoding",
        "accept-language",
        "authorization",
        "cache-control",
        "connection",
        "content-length",
        "content-type",
        "cookie",
        "date",
        "expect",
        "forwarded",
        "from",
        "host",
        "if-match",
        "if-modified-since",
        "if-none-match",
        "if-range",
        "if-unmodified-since",
        "max-forwards",
        "origin",
        "pragma",
        "proxy-authorization",
        "range",
        "referer",
        "te",
        "upgrade",
        "user-agent",
        "via",
        "warning",
    ]
)


def check_request(context: InteractionContext, request: HttpRequest, operation: Operation) -> None:
    """Check the parameters, credentials and body of ``request`` against ``operation``."""
    headers = {name.lower(): values for name, values in request.headers.items()}
    security_names = _security(context, request, headers, operation)
    documented_headers: set[str] = set(security_names)
    documented_query: set[str] = set()
    prefix = context.prefix
    for parameter in operation.parameters:
        if parameter.location == "query":
            documented_query.add(parameter.name)
            values = request.query.get(parameter.name)
            _parameter(context, parameter, values, f"{prefix}.request.query", "query")
        elif parameter.location == "header":
            documented_headers.add(parameter.name.lower())
            raw = headers.get(parameter.name.lower())
            _parameter(context, parameter, raw, f"{prefix}.request.headers", "header")
    for name in request.query:
        if name not in documented_query and name not in security_names:
            context.add(
                "request.query.unknown",
                Severity.WARNING,
                f"{prefix}.request.query.{name}",
                pointer_join(operation.pointer, "parameters"),
                f"query parameter {name!r}",
                "not documented",
                f"query parameter {name!r} is not documented; the provider may ignore it",
            )
    for name in headers:
        if name not in documented_headers and name not in STANDARD_REQUEST_HEADERS:
            context.add(
                "request.header.unknown",
                Severity.WARNING,
                f"{prefix}.request.headers.{name}",
                pointer_join(operation.pointer, "parameters"),
                f"header {name!r}",
                "not documented",
                f"request header {name!r} is not documented; the provider may ignore it",
            )
    _request_body(context, request, headers, operation)


def _parameter(
    context: InteractionContext,
    parameter: Parameter,
    values: tuple[str | None, ...] | None,
    where: str,
    kind: str,
) -> None:
    code = f"request.{kind}.incompatible"
    path = f"{where}.{parameter.name}"
    if not values:
        if parameter.required:
            context.add(
                code,
                Severity.ERROR,
                path,
                pointer_join(parameter.pointer, "required"),
                f"no {kind} {parameter.name!r}",
                "required: true",
                f"the required {kind} parameter {parameter.name!r} is missing",
            )
        return
    if parameter.schema is None:
        return
    schema_pointer = pointer_join(parameter.pointer, "schema")
    value = coerce_parameter(context.document, parameter.schema, schema_pointer, list(values))
    for violation in context.checker.violations(value, schema_pointer, "request"):
        context.add(
            code,
            Severity.ERROR,
            path,
            violation.pointer,
            show(value),
            f"{violation.keyword}: {show(violation.schema_value)}",
            f"{kind} parameter {parameter.name!r} does not match its schema: {violation.message}",
        )


def _security(
    context: InteractionContext,
    request: HttpRequest,
    headers: Mapping[str, Any],
    operation: Operation,
) -> set[str]:
    """Check that one of the security alternatives is satisfied; return the header and query
    names the schemes use (they are documented, not unknown)."""
    document = context.document
    requirements = operation.node.get("security", document.data.get("security"))
    schemes = (document.data.get("components") or {}).get("securitySchemes") or {}
    names: set[str] = set()
    if not requirements:
        return names
    satisfied = False
    for alternative in requirements:
        ok = True
        for scheme_name in alternative:
            scheme, _ = document.resolve(
                schemes.get(scheme_name, {}),
                pointer_join("/components/securitySchemes", scheme_name),
            )
            location, name = _credential_location(scheme)
            names.add(name.lower() if location == "header" else name)
            present = (
                name.lower() in headers
                if location == "header"
                else name in request.query
                if location == "query"
                else True
            )
            ok = ok and present
        satisfied = satisfied or ok
    if not satisfied:
        context.add(
            "request.authorization.missing",
            Severity.ERROR,
            f"{context.prefix}.request.headers",
            pointer_join(operation.pointer, "security")
            if "security" in operation.node
            else "/security",
            "no credentials",
            " or ".join("+".join(sorted(alternative)) or "(none)" for alternative in requirements),
            "the operation requires credentials the request does not carry "
            f"(one of: {', '.join(sorted(names))})",
        )
    return names


def _credential_location(scheme: Any) -> tuple[str, str]:
    """Where a security scheme's credentials travel: (``header``|``query``|``cookie``, name)."""
    if not isinstance(scheme, Mapping):
        return "header", "authorization"
    if scheme.get("type") == "apiKey":
        return str(scheme.get("in", "header")), str(scheme.get("name", ""))
    return "header", "authorization"


def _request_body(
    context: InteractionContext,
    request: HttpRequest,
    headers: Mapping[str, Any],
    operation: Operation,
) -> None:
    body = request.body
    declared = operation.node.get("requestBody")
    pointer = pointer_join(operation.pointer, "requestBody")
    has_body = body.kind is BodyKind.PRESENT
    path = f"{context.prefix}.request.body"
    if declared is None:
        if has_body:
            context.add(
                "request.body.unknown",
                Severity.WARNING,
                path,
                operation.pointer,
                "a request body",
                "no requestBody",
                "the request has a body but the operation documents none",
            )
        return
    node, pointer = context.document.resolve(declared, pointer)
    if not has_body:
        if node.get("required"):
            context.add(
                "request.body.incompatible",
                Severity.ERROR,
                path,
                pointer_join(pointer, "required"),
                "no body",
                "required: true",
                "the operation requires a request body and the request has none",
            )
        return
    content = node.get("content") or {}
    header = headers.get("content-type")
    declared_type = header[0] if header else body.content_type
    wanted = media_type(declared_type)
    key = choose_media_type(wanted, content)
    if key is None:
        accepted = ", ".join(content) or "(none)"
        context.add(
            "request.content-type.incompatible",
            Severity.ERROR,
            f"{context.prefix}.request.headers.Content-Type",
            pointer_join(pointer, "content"),
            str(wanted),
            accepted,
            f"the request's body is {wanted}, which the operation does not accept "
            f"(it documents {accepted})",
        )
        return
    check_media_body(
        context,
        BodyTarget(
            value=body.value,
            raw=body.raw,
            content_type=declared_type,
            media=content[key],
            media_key=key,
            pointer=pointer_join(pointer, "content", key),
            pact_path=path,
            rules=request.matching_rules,
            direction="request",
        ),
    )
