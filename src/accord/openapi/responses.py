"""The response half of the comparison: status, media type, headers and body.

The status must be documented (``default`` alone is a warning: it says little). The consumer's
``Accept`` and the response's content type must meet a documented media type, each response
header the consumer expects must be documented and valid, and the body is judged against the
schema of the media type that serves it (:mod:`~accord.openapi.media`).
"""

from collections.abc import Mapping
from typing import Any

from accord.openapi.bodies import show
from accord.openapi.context import BodyTarget, InteractionContext
from accord.openapi.document import Operation, pointer_join
from accord.openapi.findings import Severity
from accord.openapi.media import check_media_body
from accord.openapi.schemas import VALUE_KEYWORDS
from accord.openapi.values import choose_media_type, coerce_parameter, media_type
from accord.pact.model import BodyKind, HttpRequest, HttpResponse

#: Response headers a provider's framework adds without documenting them.
STANDARD_RESPONSE_HEADERS = frozenset(
    [
        "access-control-allow-origin",
        "accept-patch",
        "accept-ranges",
        "age",
        "allow",
        "alt-svc",
        "cache-control",
        "connection",
        "content-disposition",
        "content-encoding",
        "content-language",
        "content-length",
        "content-location",
        "content-range",
        "date",
        "etag",
        "expires",
        "last-modified",
        "link",
        "location",
        "pragma",
        "proxy-authenticate",
        "retry-after",
        "server",
        "set-cookie",
        "strict-transport-security",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "vary",
        "via",
        "warning",
        "www-authenticate",
        "x-frame-options",
    ]
)


def check_response(
    context: InteractionContext, request: HttpRequest, response: HttpResponse, operation: Operation
) -> None:
    """Check the status, headers and body of ``response`` against ``operation``."""
    responses = operation.node.get("responses") or {}
    status = str(response.status)
    key = next(
        (k for k in (status, f"{status[0]}XX", f"{status[0]}xx", "default") if k in responses),
        None,
    )
    base = pointer_join(operation.pointer, "responses")
    path = f"{context.prefix}.response.status"
    if key is None:
        context.add(
            "response.status.unknown",
            Severity.ERROR,
            path,
            base,
            str(response.status),
            ", ".join(str(k) for k in responses),
            f"status {response.status} is not documented for this operation",
        )
        return
    if key == "default":
        context.add(
            "response.status.default",
            Severity.WARNING,
            path,
            pointer_join(base, "default"),
            str(response.status),
            "default",
            f"status {response.status} is covered only by the 'default' response",
        )
    node, pointer = context.document.resolve(responses[key], pointer_join(base, key))
    _headers(context, response, node, pointer)
    _body(context, request, response, node, pointer)


def _headers(
    context: InteractionContext, response: HttpResponse, node: Mapping[str, Any], pointer: str
) -> None:
    documented = {name.lower(): (name, h) for name, h in (node.get("headers") or {}).items()}
    rules = response.matching_rules.get("header", {})
    for name, values in response.headers.items():
        lower = name.lower()
        path = f"{context.prefix}.response.headers.{name}"
        if lower == "content-type":
            continue
        if lower not in documented:
            standard = lower in STANDARD_RESPONSE_HEADERS
            context.add(
                "response.header.undefined" if standard else "response.header.unknown",
                Severity.WARNING if standard else Severity.ERROR,
                path,
                pointer_join(pointer, "headers"),
                f"header {name!r}",
                "not documented",
                f"the consumer expects the response header {name!r}, which the provider "
                "does not document",
            )
            continue
        original, header = documented[lower]
        header, header_pointer = context.document.resolve(
            header, pointer_join(pointer, "headers", original)
        )
        if not isinstance(header, Mapping) or "schema" not in header:
            continue
        schema_pointer = pointer_join(header_pointer, "schema")
        value = coerce_parameter(context.document, header["schema"], schema_pointer, list(values))
        relaxed = any(lower == k.lower() for k in rules)
        for violation in context.checker.violations(value, schema_pointer, "response"):
            if relaxed and violation.keyword in VALUE_KEYWORDS:
                continue
            context.add(
                "response.header.incompatible",
                Severity.ERROR,
                path,
                violation.pointer,
                show(value),
                f"{violation.keyword}: {show(violation.schema_value)}",
                f"response header {name!r} does not match its schema: {violation.message}",
            )


def _body(
    context: InteractionContext,
    request: HttpRequest,
    response: HttpResponse,
    node: Mapping[str, Any],
    pointer: str,
) -> None:
    content = node.get("content") or {}
    headers = {name.lower(): values for name, values in response.headers.items()}
    declared = headers.get("content-type")
    declared_type = declared[0] if declared else response.body.content_type
    wanted = media_type(declared_type)
    documented = ", ".join(content)
    accept = {name.lower(): v for name, v in request.headers.items()}.get("accept")
    if accept and content:
        accepted = [media_type(a) for a in ",".join(accept).split(",")]
        if not any(choose_media_type(a, content) for a in accepted if a):
            context.add(
                "request.accept.incompatible",
                Severity.ERROR,
                f"{context.prefix}.request.headers.Accept",
                pointer_join(pointer, "content"),
                ", ".join(accept),
                documented,
                f"the request accepts {', '.join(accept)}, none of the media types the response "
                f"is documented in ({documented})",
            )
    if declared and content and choose_media_type(wanted, content) is None:
        context.add(
            "response.content-type.incompatible",
            Severity.ERROR,
            f"{context.prefix}.response.headers.Content-Type",
            pointer_join(pointer, "content"),
            declared[0],
            documented,
            f"the consumer expects {declared[0]}, which this response is not documented in "
            f"(it documents {documented})",
        )
        return
    if response.body.kind is not BodyKind.PRESENT:
        return
    key = choose_media_type(wanted, content)
    media = content.get(key) if key is not None else None
    if key is None or not isinstance(media, Mapping) or "schema" not in media:
        context.add(
            "response.body.unknown",
            Severity.ERROR,
            f"{context.prefix}.response.body",
            pointer,
            f"a body {show(response.body.value, 40)}",
            "no body schema",
            "the consumer expects a response body the provider does not document",
        )
        return
    check_media_body(
        context,
        BodyTarget(
            value=response.body.value,
            raw=response.body.raw,
            content_type=declared_type,
            media=media,
            media_key=key,
            pointer=pointer_join(pointer, "content", key),
            pact_path=f"{context.prefix}.response.body",
            rules=response.matching_rules,
            direction="response",
        ),
    )
