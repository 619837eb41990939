"""Bi-directional contract testing: consumer pacts against a provider's OpenAPI document.

Pure (no HTTP, no broker): load and validate an OpenAPI 3.0/3.1 document, compare pacts with
it, and diff two documents (or two pacts) for breaking changes::

    from accord.openapi import compare_pact, load_openapi
    from accord.pact import load_pact

    comparison = compare_pact(load_openapi("openapi.yaml"), load_pact("pacts/Web-Users.json"))
    for finding in comparison.errors:
        print(finding.pact_path, finding.openapi_pointer, finding.message)
"""

from accord.openapi.compare import CompareOptions, PactComparer, compare_pact
from accord.openapi.document import (
    OpenApiDocument,
    Operation,
    Parameter,
    load_openapi,
    parse_openapi,
    parse_openapi_text,
)
from accord.openapi.findings import Comparison, Finding, Severity

__all__ = [
    "CompareOptions",
    "Comparison",
    "Finding",
    "OpenApiDocument",
    "Operation",
    "PactComparer",
    "Parameter",
    "Severity",
    "compare_pact",
    "load_openapi",
    "parse_openapi",
    "parse_openapi_text",
]
