"""The comparison: can a provider that honours this OpenAPI document serve this consumer pact?

For each HTTP interaction: find the operation (server base paths, templated paths, method),
check the request's path parameters, query, headers, security and body against what the
operation accepts, then the response's status, content type, headers and body against what the
operation documents. Every problem becomes a :class:`~accord.openapi.findings.Finding`; errors
break the pair, warnings do not. Message interactions have no OpenAPI counterpart and are
reported as warnings.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.matching.selection import RuleIndex
from accord.openapi.bodies import BodyCheck, check_body, show
from accord.openapi.document import OpenApiDocument, Operation, pointer_join
from accord.openapi.findings import Comparison, Finding, Severity
from accord.openapi.operations import OperationMatch, find_operations
from accord.openapi.schemas import VALUE_KEYWORDS, Direction, SchemaChecker
from accord.openapi.values import choose_media_type, coerce_parameter, is_json, media_type
from accord.pact.model import BodyKind, HttpRequest, HttpResponse, Pact, SynchronousHttp

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


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """``strict``: a response field the document does not list is an error even when the
    schema does not say ``additionalProperties: false`` (PactFlow's default)."""

    strict: bool = False


def compare_pact(
    document: OpenApiDocument, pact: Pact, options: CompareOptions | None = None
) -> Comparison:
    """Compare every interaction of ``pact`` with ``document``."""
    return PactComparer(document, options).compare(pact)


class PactComparer:
    """Compares many pacts with one document: the document's schema views and validators are
    built once, not per pact (a broker compares a new provider contract with every consumer)."""

    def __init__(self, document: OpenApiDocument, options: CompareOptions | None = None) -> None:
        self.document = document
        self.options = options or CompareOptions()
        self._checker = SchemaChecker(document)

    def compare(self, pact: Pact) -> Comparison:
        """Compare every interaction of ``pact`` with the document."""
        return _compare(self.document, self._checker, pact, self.options)


def _compare(
    document: OpenApiDocument, checker: SchemaChecker, pact: Pact, options: CompareOptions
) -> Comparison:
    findings: list[Finding] = []
    for index, interaction in enumerate(pact.interactions):
        context = _Interaction(document, checker, options, interaction.description, index)
        if isinstance(interaction, SynchronousHttp):
            context.check(interaction)
        else:
            context.add(
                "interaction.not-http",
                Severity.WARNING,
                context.prefix,
                None,
                "a message interaction",
                "HTTP operations only",
                "message interactions are not described by OpenAPI and were not compared",
            )
        findings.extend(context.findings)
    return Comparison(
        consumer=pact.consumer,
        provider=pact.provider,
        pact_source=pact.source,
        openapi_source=document.source,
        findings=tuple(findings),
    )


class _Interaction:
    """The comparison of one interaction; collects its findings."""

    def __init__(
        self,
        document: OpenApiDocument,
        checker: SchemaChecker,
        options: CompareOptions,
        description: str,
        index: int,
    ) -> None:
        self.document = document
        self.checker = checker
        self.options = options
        self.description = description
        self.prefix = f"$.interactions[{index}]"
        self.operation: Operation | None = None
        self.findings: list[Finding] = []

    def add(  # noqa: PLR0917 - the seven parts of a finding, as Report passes them
        self,
        code: str,
        severity: Severity,
        pact_path: str,
        pointer: str | None,
        expected: str,
        documented: str,
        message: str,
    ) -> None:
        self.findings.append(
            Finding(
                code=code,
                severity=severity,
                interaction=self.description,
                pact_path=pact_path,
                operation=self.operation.label if self.operation else None,
                openapi_pointer=pointer,
                expected=expected,
                documented=documented,
                message=message,
            )
        )

    # --- the operation -----------------------------------------------------------------------

    def check(self, interaction: SynchronousHttp) -> None:
        request, response = interaction.request, interaction.response
        match = self._operation(request)
        if match is None:
            return
        self.operation = match.operation
        self._request(request, match)
        self._response(request, response, match.operation)

    def _operation(self, request: HttpRequest) -> OperationMatch | None:
        candidates, missing = find_operations(self.document, request.method, request.path)
        if missing is not None:
            documented = (
                f"{missing.path} documents {', '.join(missing.methods)}"
                if missing.methods
                else "no path matches"
            )
            self.add(
                "request.path-or-method.unknown",
                Severity.ERROR,
                f"{self.prefix}.request.path",
                pointer_join("/paths", missing.path) if missing.path else "/paths",
                f"{request.method.upper()} {request.path}",
                documented,
                f"the provider documents no operation for {request.method.upper()} {request.path}",
            )
            return None
        for candidate in candidates:
            if not self._path_problems(candidate):
                return candidate
        chosen = candidates[0]
        self.operation = chosen.operation
        for parameter, value, violation in self._path_problems(chosen):
            self.add(
                "request.path-or-method.unknown",
                Severity.ERROR,
                f"{self.prefix}.request.path",
                violation,
                f"{parameter} = {value!r}",
                f"the schema of path parameter {parameter!r}",
                f"path parameter {parameter!r} = {value!r} does not match its schema",
            )
        return None

    def _path_problems(self, match: OperationMatch) -> list[tuple[str, str, str]]:
        problems = []
        for parameter in match.operation.parameters:
            if parameter.location != "path" or parameter.schema is None:
                continue
            raw = match.path_values.get(parameter.name)
            if raw is None:
                continue
            schema_pointer = pointer_join(parameter.pointer, "schema")
            value = coerce_parameter(self.document, parameter.schema, schema_pointer, [raw])
            violations = self.checker.violations(value, schema_pointer, "request")
            if violations:
                problems.append((parameter.name, raw, violations[0].pointer))
        return problems

    # --- the request -------------------------------------------------------------------------

    def _request(self, request: HttpRequest, match: OperationMatch) -> None:
        operation = match.operation
        headers = {name.lower(): values for name, values in request.headers.items()}
        security_names = self._security(request, headers, operation)
        documented_headers: set[str] = set(security_names)
        documented_query: set[str] = set()
        for parameter in operation.parameters:
            if parameter.location == "query":
                documented_query.add(parameter.name)
                values = request.query.get(parameter.name)
                self._parameter(parameter, values, f"{self.prefix}.request.query", "query")
            elif parameter.location == "header":
                documented_headers.add(parameter.name.lower())
                raw = headers.get(parameter.name.lower())
                self._parameter(parameter, raw, f"{self.prefix}.request.headers", "header")
        for name in request.query:
            if name not in documented_query and name not in security_names:
                self.add(
                    "request.query.unknown",
                    Severity.WARNING,
                    f"{self.prefix}.request.query.{name}",
                    pointer_join(operation.pointer, "parameters"),
                    f"query parameter {name!r}",
                    "not documented",
                    f"query parameter {name!r} is not documented; the provider may ignore it",
                )
        for name in headers:
            if name not in documented_headers and name not in STANDARD_REQUEST_HEADERS:
                self.add(
                    "request.header.unknown",
                    Severity.WARNING,
                    f"{self.prefix}.request.headers.{name}",
                    pointer_join(operation.pointer, "parameters"),
                    f"header {name!r}",
                    "not documented",
                    f"request header {name!r} is not documented; the provider may ignore it",
                )
        self._request_body(request, headers, operation)

    def _parameter(
        self, parameter: Any, values: tuple[str | None, ...] | None, where: str, kind: str
    ) -> None:
        code = f"request.{kind}.incompatible"
        path = f"{where}.{parameter.name}"
        if not values:
            if parameter.required:
                self.add(
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
        value = coerce_parameter(self.document, parameter.schema, schema_pointer, list(values))
        for violation in self.checker.violations(value, schema_pointer, "request"):
            self.add(
                code,
                Severity.ERROR,
                path,
                violation.pointer,
                show(value),
                f"{violation.keyword}: {show(violation.schema_value)}",
                f"{kind} parameter {parameter.name!r} does not match its schema: "
                f"{violation.message}",
            )

    def _security(
        self, request: HttpRequest, headers: Mapping[str, Any], operation: Operation
    ) -> set[str]:
        """Check that one of the security alternatives is satisfied; return the header and
        query names the schemes use (they are documented, not unknown)."""
        requirements = operation.node.get("security", self.document.data.get("security"))
        schemes = (self.document.data.get("components") or {}).get("securitySchemes") or {}
        names: set[str] = set()
        if not requirements:
            return names
        satisfied = False
        for alternative in requirements:
            ok = True
            for scheme_name in alternative:
                scheme, _ = self.document.resolve(
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
            self.add(
                "request.authorization.missing",
                Severity.ERROR,
                f"{self.prefix}.request.headers",
                pointer_join(operation.pointer, "security")
                if "security" in operation.node
                else "/security",
                "no credentials",
                " or ".join(
                    "+".join(sorted(alternative)) or "(none)" for alternative in requirements
                ),
                "the operation requires credentials the request does not carry "
                f"(one of: {', '.join(sorted(names))})",
            )
        return names

    def _request_body(
        self, request: HttpRequest, headers: Mapping[str, Any], operation: Operation
    ) -> None:
        body = request.body
        declared = operation.node.get("requestBody")
        pointer = pointer_join(operation.pointer, "requestBody")
        has_body = body.kind is BodyKind.PRESENT
        if declared is None:
            if has_body:
                self.add(
                    "request.body.unknown",
                    Severity.WARNING,
                    f"{self.prefix}.request.body",
                    operation.pointer,
                    "a request body",
                    "no requestBody",
                    "the request has a body but the operation documents none",
                )
            return
        node, pointer = self.document.resolve(declared, pointer)
        if not has_body:
            if node.get("required"):
                self.add(
                    "request.body.incompatible",
                    Severity.ERROR,
                    f"{self.prefix}.request.body",
                    pointer_join(pointer, "required"),
                    "no body",
                    "required: true",
                    "the operation requires a request body and the request has none",
                )
            return
        content = node.get("content") or {}
        header = headers.get("content-type")
        wanted = media_type(header[0] if header else body.content_type)
        key = choose_media_type(wanted, content)
        if key is None:
            self.add(
                "request.content-type.incompatible",
                Severity.ERROR,
                f"{self.prefix}.request.headers.Content-Type",
                pointer_join(pointer, "content"),
                str(wanted),
                ", ".join(content) or "(none)",
                f"the request's content type {wanted} is not one the operation accepts",
            )
            return
        self._body(
            body.value,
            content[key],
            pointer_join(pointer, "content", key),
            f"{self.prefix}.request.body",
            request.matching_rules,
            "request",
            key,
        )

    def _body(  # noqa: PLR0917 - one call site per direction
        self,
        value: Any,
        media: Any,
        pointer: str,
        pact_prefix: str,
        rules: Mapping[str, Any],
        direction: Direction,
        key: str,
    ) -> None:
        media, pointer = self.document.resolve(media, pointer)
        if not isinstance(media, Mapping) or "schema" not in media or not is_json(key):
            return
        if isinstance(value, str) and not (value.startswith(("{", "[")) or value == ""):
            return  # a text body under a JSON media type is left to the matching engine
        check = BodyCheck(
            document=self.document,
            checker=self.checker,
            direction=direction,
            schema_pointer=pointer_join(pointer, "schema"),
            pact_prefix=pact_prefix,
            rules=RuleIndex(rules.get("body", {})),
            strict=self.options.strict,
            report=self.add,
        )
        check_body(check, value)

    # --- the response ------------------------------------------------------------------------

    def _response(self, request: HttpRequest, response: HttpResponse, operation: Operation) -> None:
        responses = operation.node.get("responses") or {}
        status = str(response.status)
        key = next(
            (k for k in (status, f"{status[0]}XX", f"{status[0]}xx", "default") if k in responses),
            None,
        )
        base = pointer_join(operation.pointer, "responses")
        if key is None:
            self.add(
                "response.status.unknown",
                Severity.ERROR,
                f"{self.prefix}.response.status",
                base,
                str(response.status),
                ", ".join(str(k) for k in responses),
                f"status {response.status} is not documented for this operation",
            )
            return
        if key == "default":
            self.add(
                "response.status.default",
                Severity.WARNING,
                f"{self.prefix}.response.status",
                pointer_join(base, "default"),
                str(response.status),
                "default",
                f"status {response.status} is covered only by the 'default' response",
            )
        node, pointer = self.document.resolve(responses[key], pointer_join(base, key))
        self._response_headers(response, node, pointer)
        self._response_body(request, response, node, pointer)

    def _response_headers(
        self, response: HttpResponse, node: Mapping[str, Any], pointer: str
    ) -> None:
        documented = {name.lower(): (name, h) for name, h in (node.get("headers") or {}).items()}
        rules = response.matching_rules.get("header", {})
        for name, values in response.headers.items():
            lower = name.lower()
            path = f"{self.prefix}.response.headers.{name}"
            if lower == "content-type":
                continue
            if lower not in documented:
                standard = lower in STANDARD_RESPONSE_HEADERS
                self.add(
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
            header, header_pointer = self.document.resolve(
                header, pointer_join(pointer, "headers", original)
            )
            if not isinstance(header, Mapping) or "schema" not in header:
                continue
            schema_pointer = pointer_join(header_pointer, "schema")
            value = coerce_parameter(self.document, header["schema"], schema_pointer, list(values))
            relaxed = any(lower == k.lower() for k in rules)
            for violation in self.checker.violations(value, schema_pointer, "response"):
                if relaxed and violation.keyword in VALUE_KEYWORDS:
                    continue
                self.add(
                    "response.header.incompatible",
                    Severity.ERROR,
                    path,
                    violation.pointer,
                    show(value),
                    f"{violation.keyword}: {show(violation.schema_value)}",
                    f"response header {name!r} does not match its schema: {violation.message}",
                )

    def _response_body(
        self,
        request: HttpRequest,
        response: HttpResponse,
        node: Mapping[str, Any],
        pointer: str,
    ) -> None:
        content = node.get("content") or {}
        headers = {name.lower(): values for name, values in response.headers.items()}
        declared = headers.get("content-type")
        wanted = media_type(declared[0] if declared else response.body.content_type)
        accept = {name.lower(): v for name, v in request.headers.items()}.get("accept")
        if accept and content:
            accepted = [media_type(a) for a in ",".join(accept).split(",")]
            if not any(choose_media_type(a, content) for a in accepted if a):
                self.add(
                    "request.accept.incompatible",
                    Severity.ERROR,
                    f"{self.prefix}.request.headers.Accept",
                    pointer_join(pointer, "content"),
                    ", ".join(accept),
                    ", ".join(content),
                    "the request accepts none of the media types the response is documented in",
                )
        if declared and content and choose_media_type(wanted, content) is None:
            self.add(
                "response.content-type.incompatible",
                Severity.ERROR,
                f"{self.prefix}.response.headers.Content-Type",
                pointer_join(pointer, "content"),
                declared[0],
                ", ".join(content),
                f"the consumer expects {declared[0]}, which this response is not documented in",
            )
            return
        if response.body.kind is not BodyKind.PRESENT:
            return
        key = choose_media_type(wanted, content)
        media = content.get(key) if key is not None else None
        if key is None or not isinstance(media, Mapping) or "schema" not in media:
            self.add(
                "response.body.unknown",
                Severity.ERROR,
                f"{self.prefix}.response.body",
                pointer,
                f"a body {show(response.body.value, 40)}",
                "no body schema",
                "the consumer expects a response body the provider does not document",
            )
            return
        self._body(
            response.body.value,
            media,
            pointer_join(pointer, "content", key),
            f"{self.prefix}.response.body",
            response.matching_rules,
            "response",
            key,
        )


def _credential_location(scheme: Any) -> tuple[str, str]:
    """Where a security scheme's credentials travel: (``header``|``query``|``cookie``, name)."""
    if not isinstance(scheme, Mapping):
        return "header", "authorization"
    if scheme.get("type") == "apiKey":
        return str(scheme.get("in", "header")), str(scheme.get("name", ""))
    return "header", "authorization"
