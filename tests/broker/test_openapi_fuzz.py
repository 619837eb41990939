"""The broker fuzzed against its own OpenAPI document with schemathesis (issue #20), on both
databases: no input gets a server error, and every answer (status, content type, body) is one
the document describes.

Bounded and deterministic: a few derandomized examples per operation, valid ones and (where a
parameter or body has a schema to violate) invalid ones, without shrinking. Every failure is
collected and reported together, with the operation and a curl line to reproduce it.
"""

import contextlib
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.broker.conftest import RunningBroker, make_pact

EXAMPLES = 10
"""Examples per operation and mode: enough to reach each route's parsing and validation,
few enough that both databases run in well under two minutes on a loaded machine."""

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

BOUNDED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _can_be_invalid(operation: Any) -> bool:
    """Whether negative examples exist: a body, or a parameter with more than "any string"."""
    definition = operation.definition.raw
    if "requestBody" in definition:
        return True
    for parameter in definition.get("parameters", []):
        schema = parameter.get("schema", {})
        if set(schema) - {"type", "title", "description"} or schema.get("type") != "string":
            return True
    return False


def _seed(broker: RunningBroker) -> None:
    """A little of everything, so list and lookup routes answer with bodies too."""
    assert broker.publish("Web", "1", make_pact(), branch="main", tags=["prod"]).status_code == 200
    assert broker.post("/environments", {"name": "prod", "production": True}).status_code == 201


def _fuzz(
    broker: RunningBroker, operation: Any, mode: GenerationMode, calls: list[int]
) -> list[str]:
    """Failures of ``operation`` in ``mode``; ``calls`` counts the requests sent."""
    failures: list[str] = []
    session = requests.Session()

    @given(case=operation.as_strategy(generation_mode=mode))
    @BOUNDED
    def run(case: Any) -> None:
        try:
            response = case.call(base_url=broker.url, session=session, timeout=30)
            calls.append(response.status_code)
            case.validate_response(response, checks=CHECKS)
        except BaseExceptionGroup as group:  # schemathesis' FailureGroup: one per failed check
            failures.append(f"{operation.label} ({mode.value}): {group}")
        except AssertionError as exc:
            failures.append(f"{operation.label} ({mode.value}): {exc}")

    # Unsatisfiable: no example of this mode exists (nothing in the operation can be invalid)
    with contextlib.suppress(Unsatisfiable):
        run()
    return failures


def test_every_operation_answers_as_documented_without_a_server_error(
    broker: RunningBroker,
) -> None:
    _seed(broker)
    document = broker.get("/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 80, "the OpenAPI document lost its routes"

    failures: list[str] = []
    calls: list[int] = []
    for operation in operations:
        failures += _fuzz(broker, operation, GenerationMode.POSITIVE, calls)
        if _can_be_invalid(operation):
            failures += _fuzz(broker, operation, GenerationMode.NEGATIVE, calls)

    assert len(calls) >= 2 * len(operations), "too few requests to mean anything"
    print(f"{len(calls)} requests to {len(operations)} operations")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:20])
