"""Requests, responses and messages compared part by part (spec §3).

The primary input is the typed pact model: an ``accord.pact`` ``HttpRequest``, ``HttpResponse``
or ``MessageContents`` as expected, against an :class:`~accord.matching.actual.ActualRequest`,
``ActualResponse`` or ``ActualMessage`` as seen. Pact JSON (a dict per part, as a pact file
writes it) is accepted on either side too, for tests, the official specification cases and
callers that hold JSON. Both are read into the same views (``parts.py``) before comparing.
"""

from collections.abc import Callable, Mapping
from typing import Any

from accord.matching.actual import ActualMessage, ActualRequest, ActualResponse
from accord.matching.bodies import compare_body
from accord.matching.compiled import PartRules, model_part_rules, part_rules
from accord.matching.headers import compare_header_tables, compare_metadata
from accord.matching.matchers import evaluate
from accord.matching.mismatch import Mismatch, show
from accord.matching.parts import (
    MessageView,
    RequestView,
    ResponseView,
    actual_message,
    actual_request,
    actual_response,
    expected_message,
    expected_request,
    expected_response,
    json_message,
    json_request,
    json_response,
)
from accord.matching.query import compare_params, query_map, v1_query_agrees
from accord.matching.versions import normalise_spec
from accord.pact.model import HttpRequest, HttpResponse, MessageContents, SpecVersion

JsonPart = Mapping[str, Any]
_RULES_WHERE = "expected.matchingRules"


def _require_mapping(value: object, name: str, typed: str) -> JsonPart:
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{name} must be {typed} or a pact-JSON object (a dict), not {type(value).__name__}"
        )
    return value


def _compare_http_body(
    expected: RequestView | ResponseView,
    actual: RequestView | ResponseView,
    rules: PartRules,
    report: Callable[[Mismatch], None],
    *,
    strict_keys: bool,
) -> None:
    compare_body(
        expected.body,
        actual.body,
        rules.body,
        report,
        strict_keys=strict_keys,
        content_type_rule=rules.headers.get("content-type"),
    )


def _request_views(
    expected: HttpRequest | JsonPart, actual: ActualRequest | JsonPart, spec: SpecVersion
) -> tuple[RequestView, RequestView, PartRules]:
    v4 = spec == "V4"
    if isinstance(expected, HttpRequest):
        e_view, rules = expected_request(expected), model_part_rules(expected.matching_rules)
    else:
        e_json = _require_mapping(expected, "expected", "an accord.pact.HttpRequest")
        e_view = json_request(e_json, v4=v4, expected=True)
        rules = part_rules(e_json.get("matchingRules"), spec, _RULES_WHERE)
    if isinstance(actual, ActualRequest):
        a_view = actual_request(actual)
    else:
        a_json = _require_mapping(actual, "actual", "an accord.matching.ActualRequest")
        a_view = json_request(a_json, v4=v4, expected=False)
    return e_view, a_view, rules


def match_request(
    expected: HttpRequest | JsonPart, actual: ActualRequest | JsonPart, *, spec: str = "V4"
) -> list[Mismatch]:
    """Every way ``actual`` (a request as sent) falls short of ``expected`` (as in the pact)."""
    version = normalise_spec(spec)
    e, a, rules = _request_views(expected, actual, version)
    mismatches: list[Mismatch] = []
    if e.method is not None:
        a_method = a.method or ""
        if e.method.upper() != a_method.upper():
            mismatches.append(
                Mismatch(
                    "method",
                    "$.method",
                    e.method,
                    a_method,
                    f"Expected method {e.method.upper()} but got {a_method.upper()}",
                )
            )
    if e.path is not None:
        if rules.path is not None and not rules.path.exact:
            for message in evaluate(rules.path, e.path, a.path or "", "the path", text=True):
                mismatches.append(Mismatch("path", "$.path", e.path, a.path, message))
        elif e.path != a.path:
            mismatches.append(
                Mismatch(
                    "path",
                    "$.path",
                    e.path,
                    a.path,
                    f"Expected path {show(e.path)} but got {show(a.path)}",
                )
            )
    _compare_query(e.query, a.query, rules, version, mismatches)
    if e.headers:
        compare_header_tables(e.headers, a.headers, rules.headers, mismatches.append)
    _compare_http_body(e, a, rules, mismatches.append, strict_keys=True)
    return mismatches


def _compare_query(
    e_query: object,
    a_query: object,
    rules: PartRules,
    spec: SpecVersion,
    mismatches: list[Mismatch],
) -> None:
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


def _response_views(
    expected: HttpResponse | JsonPart, actual: ActualResponse | JsonPart, spec: SpecVersion
) -> tuple[ResponseView, ResponseView, PartRules]:
    v4 = spec == "V4"
    if isinstance(expected, HttpResponse):
        e_view, rules = expected_response(expected), model_part_rules(expected.matching_rules)
    else:
        e_json = _require_mapping(expected, "expected", "an accord.pact.HttpResponse")
        e_view = json_response(e_json, v4=v4)
        rules = part_rules(e_json.get("matchingRules"), spec, _RULES_WHERE)
    if isinstance(actual, ActualResponse):
        a_view = actual_response(actual)
    else:
        a_json = _require_mapping(actual, "actual", "an accord.matching.ActualResponse")
        a_view = json_response(a_json, v4=v4)
    return e_view, a_view, rules


def match_response(
    expected: HttpResponse | JsonPart, actual: ActualResponse | JsonPart, *, spec: str = "V4"
) -> list[Mismatch]:
    """Every way ``actual`` (a response as received) falls short of ``expected``."""
    version = normalise_spec(spec)
    e, a, rules = _response_views(expected, actual, version)
    mismatches: list[Mismatch] = []
    if e.status is not None:
        if rules.status is not None and not rules.status.exact:
            for message in evaluate(rules.status, e.status, a.status, "the status"):
                mismatches.append(Mismatch("status", "$.status", e.status, a.status, message))
        elif e.status != a.status:
            mismatches.append(
                Mismatch(
                    "status",
                    "$.status",
                    e.status,
                    a.status,
                    f"Expected status {e.status} but got {a.status}",
                )
            )
    if e.headers:
        compare_header_tables(e.headers, a.headers, rules.headers, mismatches.append)
    _compare_http_body(e, a, rules, mismatches.append, strict_keys=False)
    return mismatches


def _message_views(
    expected: MessageContents | JsonPart, actual: ActualMessage | JsonPart, spec: SpecVersion
) -> tuple[MessageView, MessageView, PartRules]:
    v4 = spec == "V4"
    if isinstance(expected, MessageContents):
        e_view = expected_message(expected, v4=v4)
        rules = model_part_rules(expected.matching_rules)
        key = "contents"
    else:
        e_json = _require_mapping(expected, "expected", "an accord.pact.MessageContents")
        rules = part_rules(e_json.get("matchingRules"), spec, _RULES_WHERE)
        # some callers write a message's contents as ``body``; the two sides agree on one key
        in_actual = isinstance(actual, ActualMessage) or "contents" in actual
        key = "contents" if "contents" in e_json or in_actual else "body"
        e_view = json_message(e_json, key, v4=v4)
    if isinstance(actual, ActualMessage):
        a_view = actual_message(actual)
    else:
        a_json = _require_mapping(actual, "actual", "an accord.matching.ActualMessage")
        a_view = json_message(a_json, key, v4=v4)
    return e_view, a_view, rules


def match_message(
    expected: MessageContents | JsonPart, actual: ActualMessage | JsonPart, *, spec: str = "V4"
) -> list[Mismatch]:
    """Every way ``actual`` (a message as produced) falls short of ``expected``: its contents
    compare like a response body, its metadata by the expected keys."""
    version = normalise_spec(spec)
    e, a, rules = _message_views(expected, actual, version)
    mismatches: list[Mismatch] = []
    compare_body(e.body, a.body, rules.body, mismatches.append, strict_keys=False)
    compare_metadata(e.metadata, a.metadata, rules.metadata, mismatches.append)
    return mismatches
