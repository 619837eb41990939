"""What a comparison of a consumer pact with a provider's OpenAPI document found.

Every finding points both ways: to the interaction and the JSON path in the pact, and to the
operation and the JSON pointer in the OpenAPI document, with what the consumer expects and what
the provider documents. ``code`` uses the names of PactFlow's engine
(``@pactflow/swagger-mock-validator``: ``response.body.incompatible``, ...) where one exists,
so people moving from PactFlow recognise them.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """An error breaks the pair (the consumer would fail against this provider); a warning is
    a risk worth reading that does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One incompatibility or risk between one interaction and the document."""

    code: str
    severity: Severity
    interaction: str
    pact_path: str
    operation: str | None
    openapi_pointer: str | None
    expected: str
    documented: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "interaction": self.interaction,
            "pactPath": self.pact_path,
            "operation": self.operation,
            "openapiPointer": self.openapi_pointer,
            "expected": self.expected,
            "documented": self.documented,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """The verdict for one (consumer pact, provider OpenAPI document) pair."""

    consumer: str
    provider: str
    pact_source: str
    openapi_source: str
    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def compatible(self) -> bool:
        """No error: every interaction can be served by a provider that honours the document."""
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "consumer": self.consumer,
            "provider": self.provider,
            "pact": self.pact_source,
            "openapi": self.openapi_source,
            "compatible": self.compatible,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_json() for f in self.findings],
        }
