"""The comparison: can a provider that honours this OpenAPI document serve this consumer pact?

For each HTTP interaction: find the operation (server base paths, templated paths, method,
path parameters valid against their schemas), then check the request
(:mod:`~accord.openapi.request_checks`) and the response (:mod:`~accord.openapi.responses`).
Every problem becomes a :class:`~accord.openapi.findings.Finding`; errors break the pair,
warnings do not. Message interactions have no OpenAPI counterpart and are reported as warnings.
"""

from accord.openapi.context import CompareOptions, InteractionContext
from accord.openapi.document import OpenApiDocument, pointer_join
from accord.openapi.findings import Comparison, Finding, Severity
from accord.openapi.operations import OperationMatch, find_operations
from accord.openapi.request_checks import check_request
from accord.openapi.responses import check_response
from accord.openapi.schemas import SchemaChecker
from accord.openapi.values import coerce_parameter
from accord.pact.model import HttpRequest, Pact, SynchronousHttp

__all__ = ["CompareOptions", "PactComparer", "compare_pact"]


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
        findings: list[Finding] = []
        for index, interaction in enumerate(pact.interactions):
            context = InteractionContext(
                self.document, self._checker, self.options, interaction.description, index
            )
            if isinstance(interaction, SynchronousHttp):
                _check_interaction(context, interaction)
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
            openapi_source=self.document.source,
            findings=tuple(findings),
        )


def _check_interaction(context: InteractionContext, interaction: SynchronousHttp) -> None:
    request, response = interaction.request, interaction.response
    match = _operation(context, request)
    if match is None:
        return
    context.operation = match.operation
    check_request(context, request, match.operation)
    check_response(context, request, response, match.operation)


def _operation(context: InteractionContext, request: HttpRequest) -> OperationMatch | None:
    """The operation that serves ``request``, or ``None`` after reporting why there is none."""
    candidates, missing = find_operations(context.document, request.method, request.path)
    if missing is not None:
        documented = (
            f"{missing.path} documents {', '.join(missing.methods)}"
            if missing.methods
            else "no path matches"
        )
        context.add(
            "request.path-or-method.unknown",
            Severity.ERROR,
            f"{context.prefix}.request.path",
            pointer_join("/paths", missing.path) if missing.path else "/paths",
            f"{request.method.upper()} {request.path}",
            documented,
            f"the provider documents no operation for {request.method.upper()} {request.path}",
        )
        return None
    for candidate in candidates:
        if not _path_problems(context, candidate):
            return candidate
    chosen = candidates[0]
    context.operation = chosen.operation
    for parameter, value, violation in _path_problems(context, chosen):
        context.add(
            "request.path-or-method.unknown",
            Severity.ERROR,
            f"{context.prefix}.request.path",
            violation,
            f"{parameter} = {value!r}",
            f"the schema of path parameter {parameter!r}",
            f"path parameter {parameter!r} = {value!r} does not match its schema",
        )
    return None


def _path_problems(
    context: InteractionContext, match: OperationMatch
) -> list[tuple[str, str, str]]:
    """(name, raw value, failing keyword's pointer) of each path parameter its schema refuses."""
    problems = []
    for parameter in match.operation.parameters:
        if parameter.location != "path" or parameter.schema is None:
            continue
        raw = match.path_values.get(parameter.name)
        if raw is None:
            continue
        schema_pointer = pointer_join(parameter.pointer, "schema")
        value = coerce_parameter(context.document, parameter.schema, schema_pointer, [raw])
        violations = context.checker.violations(value, schema_pointer, "request")
        if violations:
            problems.append((parameter.name, raw, violations[0].pointer))
    return problems
