"""Requests, responses and messages compared part by part (spec §3)."""

from collections.abc import Mapping
from typing import Any

from accord.matching.bodies import compare_body, read_body
from accord.matching.compiled import PartRules, part_rules
from accord.matching.headers import compare_headers, compare_metadata, first_value, header_table
from accord.matching.matchers import evaluate
from accord.matching.mismatch import Mismatch, show
from accord.matching.query import compare_params, query_map, v1_query_agrees
from accord.matching.versions import normalise_spec
from accord.pact.model import SpecVersion


def _require_mapping(value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a pact-JSON object (a dict), not {type(value).__name__}")
    return value


def _compare_http_body(
    expected: Mapping[str, Any],
    actual: Mapping[str, Any],
    rules: PartRules,
    spec: SpecVersion,
    mismatches: list[Mismatch],
    *,
    strict_keys: bool,
) -> None:
    v4 = spec == "V4"
    expected_body = read_body(
        expected,
        "body",
        v4=v4,
        declared=first_value(header_table(expected.get("headers")), "content-type"),
    )
    if expected_body.state == "absent":
        return
    actual_body = read_body(
        actual,
        "body",
        v4=v4,
        declared=first_value(header_table(actual.get("headers")), "content-type"),
    )
    compare_body(
        expected_body,
        actual_body,
        rules.body,
        mismatches.append,
        strict_keys=strict_keys,
        content_type_rule=rules.headers.get("content-type"),
    )


def match_request(
    expected: Mapping[str, Any], actual: Mapping[str, Any], *, spec: str = "V4"
) -> list[Mismatch]:
    """Every way ``actual`` (a request as sent) falls short of ``expected`` (as in the pact)."""
    version = normalise_spec(spec)
    expected = _require_mapping(expected, "expected")
    actual = _require_mapping(actual, "actual")
    rules = part_rules(expected.get("matchingRules"), version, "expected.matchingRules")
    mismatches: list[Mismatch] = []
    if "method" in expected:
        e_method, a_method = str(expected["method"]), str(actual.get("method", ""))
        if e_method.upper() != a_method.upper():
            mismatches.append(
                Mismatch(
                    "method",
                    "$.method",
                    e_method,
                    a_method,
                    f"Expected method {e_method.upper()} but got {a_method.upper()}",
                )
            )
    if "path" in expected:
        e_path, a_path = expected["path"], actual.get("path")
        if rules.path is not None and not rules.path.exact:
            for message in evaluate(rules.path, e_path, a_path or "", "the path", text=True):
                mismatches.append(Mismatch("path", "$.path", e_path, a_path, message))
        elif e_path != a_path:
            mismatches.append(
                Mismatch(
                    "path",
                    "$.path",
                    e_path,
                    a_path,
                    f"Expected path {show(e_path)} but got {show(a_path)}",
                )
            )
    _compare_query(expected, actual, rules, version, mismatches)
    compare_headers(
        expected.get("headers"), actual.get("headers"), rules.headers, mismatches.append
    )
    _compare_http_body(expected, actual, rules, version, mismatches, strict_keys=True)
    return mismatches


def _compare_query(
    expected: Mapping[str, Any],
    actual: Mapping[str, Any],
    rules: PartRules,
    spec: SpecVersion,
    mismatches: list[Mismatch],
) -> None:
    e_query, a_query = expected.get("query"), actual.get("query")
    if spec == "V1" and not rules.query:
        if not v1_query_agrees(e_query, a_query):
            mismatches.append(
                Mismatch(
                    "query",
                    "$.query",
                    e_query,
                    a_query,
                    f"Expected query {show(e_query)} but got {show(a_query)}",
                )
            )
        return
    compare_params(query_map(e_query), query_map(a_query), rules.query, mismatches.append)


def match_response(
    expected: Mapping[str, Any], actual: Mapping[str, Any], *, spec: str = "V4"
) -> list[Mismatch]:
    """Every way ``actual`` (a response as received) falls short of ``expected``."""
    version = normalise_spec(spec)
    expected = _require_mapping(expected, "expected")
    actual = _require_mapping(actual, "actual")
    rules = part_rules(expected.get("matchingRules"), version, "expected.matchingRules")
    mismatches: list[Mismatch] = []
    if "status" in expected:
        e_status, a_status = expected["status"], actual.get("status")
        if rules.status is not None and not rules.status.exact:
            for message in evaluate(rules.status, e_status, a_status, "the status"):
                mismatches.append(Mismatch("status", "$.status", e_status, a_status, message))
        elif e_status != a_status:
            mismatches.append(
                Mismatch(
                    "status",
                    "$.status",
                    e_status,
                    a_status,
                    f"Expected status {e_status} but got {a_status}",
                )
            )
    compare_headers(
        expected.get("headers"), actual.get("headers"), rules.headers, mismatches.append
    )
    _compare_http_body(expected, actual, rules, version, mismatches, strict_keys=False)
    return mismatches


def _metadata(part: Mapping[str, Any]) -> Mapping[str, Any]:
    value = part.get("metadata", part.get("metaData"))
    return value if isinstance(value, Mapping) else {}


def _message_content_type(part: Mapping[str, Any]) -> str | None:
    metadata = _metadata(part)
    for key in ("contentType", "content-type", "Content-Type"):
        value = metadata.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def match_message(
    expected: Mapping[str, Any], actual: Mapping[str, Any], *, spec: str = "V4"
) -> list[Mismatch]:
    """Every way ``actual`` (a message as produced) falls short of ``expected``: its contents
    compare like a response body, its metadata by the expected keys."""
    version = normalise_spec(spec)
    expected = _require_mapping(expected, "expected")
    actual = _require_mapping(actual, "actual")
    rules = part_rules(expected.get("matchingRules"), version, "expected.matchingRules")
    mismatches: list[Mismatch] = []
    key = "contents" if "contents" in expected or "contents" in actual else "body"
    v4 = version == "V4"
    expected_body = read_body(expected, key, v4=v4, declared=_message_content_type(expected))
    actual_body = read_body(actual, key, v4=v4, declared=_message_content_type(actual))
    compare_body(expected_body, actual_body, rules.body, mismatches.append, strict_keys=False)
    compare_metadata(_metadata(expected), _metadata(actual), rules.metadata, mismatches.append)
    return mismatches
