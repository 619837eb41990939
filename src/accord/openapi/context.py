"""What every check of one interaction shares: the document, the options, and its findings.

The comparison of one interaction is split by subject (the operation in ``compare.py``, the
request in ``request_checks.py``, the response in ``responses.py``, bodies by media type in
``media.py``); they all report into one :class:`InteractionContext`, which turns the seven
parts of a problem into a :class:`~accord.openapi.findings.Finding` naming the interaction and
the operation.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.openapi.document import OpenApiDocument, Operation
from accord.openapi.findings import Finding, Severity
from accord.openapi.schemas import Direction, SchemaChecker


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """``strict``: a response field the document does not list is an error even when the
    schema does not say ``additionalProperties: false`` (PactFlow's default)."""

    strict: bool = False


class InteractionContext:
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

    def add(  # noqa: PLR0917 - the seven parts of a finding, as bodies.Report passes them
        self,
        code: str,
        severity: Severity,
        pact_path: str,
        pointer: str | None,
        expected: str,
        documented: str,
        message: str,
    ) -> None:
        """Record one finding against the current operation (if one was found)."""
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


@dataclass(frozen=True, slots=True)
class BodyTarget:
    """A pact body and the documented media type chosen to judge it.

    ``content_type`` is the pact's own (with parameters such as ``boundary``), ``media_key``
    the document's key that serves it, ``pointer`` the media type object's JSON pointer.
    """

    value: Any
    raw: bytes
    content_type: str | None
    media: Any
    media_key: str
    pointer: str
    pact_path: str
    rules: Mapping[str, Any]
    direction: Direction
