"""The comparison engine on small documents: what each finding names, and the typed errors."""

import json
from pathlib import Path

import pytest

from accord.errors import OpenApiError
from accord.openapi import CompareOptions, Severity, compare_pact, parse_openapi_text
from accord.openapi.spec_diff import diff_openapi, used_by
from accord.pact import parse_pact
from accord.pact.diff import diff_pacts

CORPUS = Path(__file__).parent / "corpus"

SPEC = """
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
components:
  schemas:
    User:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
        tags: {type: array, items: {type: string}}
"""


def pact_with(body: object, rules: dict[str, object] | None = None) -> dict[str, object]:
    response: dict[str, object] = {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": body,
    }
    if rules:
        response["matchingRules"] = {"body": rules}
    return {
        "consumer": {"name": "Web"},
        "provider": {"name": "Users"},
        "interactions": [
            {"description": "a user", "request": {"method": "GET", "path": "/users/7"},
             "response": response}
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }  # fmt: skip


def compare(body: object, *, strict: bool = False, rules: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    return compare_pact(
        parse_openapi_text(SPEC), parse_pact(pact_with(body, rules)), CompareOptions(strict)
    )


def test_a_wrong_type_names_the_pact_path_the_operation_and_the_schema_pointer() -> None:
    comparison = compare({"id": "seven", "name": "Ada"})

    assert not comparison.compatible
    (finding,) = comparison.errors
    assert finding.pact_path == "$.interactions[0].response.body.id"
    assert finding.operation == "GET /users/{id}"
    assert finding.openapi_pointer == "/components/schemas/User/properties/id/type"
    assert finding.expected == '"seven"'
    assert finding.documented == 'type: "integer"'


def test_an_undocumented_field_is_a_warning_and_an_error_when_strict() -> None:
    lenient = compare({"id": 1, "name": "Ada", "nick": "A"})
    strict = compare({"id": 1, "name": "Ada", "nick": "A"}, strict=True)

    assert lenient.compatible
    assert [f.code for f in lenient.warnings] == ["response.body.undocumented-field"]
    assert not strict.compatible
    assert strict.errors[0].pact_path.endswith(".nick")


def test_a_field_the_provider_documents_as_optional_is_a_warning() -> None:
    comparison = compare({"id": 1, "name": "Ada", "tags": ["x"]})

    assert comparison.compatible
    assert any(
        f.code == "response.body.optional-field" and f.pact_path.endswith(".tags")
        for f in comparison.warnings
    )


def test_a_consumer_need_not_expect_every_required_field() -> None:
    assert compare({"id": 1}).compatible


def test_an_each_like_minimum_the_schema_does_not_promise_is_a_warning() -> None:
    comparison = compare(
        {"id": 1, "name": "Ada", "tags": ["x"]},
        rules={"$.tags": {"matchers": [{"match": "type", "min": 1}]}},
    )

    assert comparison.compatible
    assert any(f.code == "response.body.array-size" for f in comparison.warnings)
    assert all(f.severity is Severity.WARNING for f in comparison.findings)


def test_an_unknown_path_is_an_error_naming_the_request() -> None:
    document = parse_openapi_text(SPEC)
    data = pact_with({"id": 1, "name": "A"})
    data["interactions"][0]["request"]["path"] = "/orders/1"  # type: ignore[index]

    comparison = compare_pact(document, parse_pact(data))

    assert [f.code for f in comparison.errors] == ["request.path-or-method.unknown"]
    assert "GET /orders/1" in comparison.errors[0].expected


@pytest.mark.parametrize(
    ("text", "pointer", "words"),
    [
        ('swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n', "/swagger", "2.0"),
        ("openapi: [unclosed\n", "", "neither valid YAML"),
        ("just: a mapping\n", "/openapi", "not an OpenAPI document"),
        (SPEC.replace("schemas/User", "schemas/Nobody"), "", "points to nothing"),
        ("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n", "/info", "version"),
    ],
)
def test_unusable_documents_raise_a_typed_error_with_exit_code_2(
    text: str, pointer: str, words: str
) -> None:
    with pytest.raises(OpenApiError) as raised:
        parse_openapi_text(text, source="spec.yaml")

    assert raised.value.exit_code == 2
    assert raised.value.pointer == pointer
    assert words in str(raised.value)
    assert raised.value.hint


def test_diff_reports_a_removed_response_property_and_who_uses_it() -> None:
    old = parse_openapi_text(SPEC)
    new = parse_openapi_text(SPEC.replace("        name: {type: string}\n", ""))
    pact = parse_pact(pact_with({"id": 1, "name": "Ada"}))

    changes = diff_openapi(old, new)
    breaking = [c for c in changes if c.breaking]

    assert [c.field for c in breaking] == [("name",)]
    (usage,) = used_by(breaking[0], old, [pact])
    assert (usage.consumer, usage.what) == ("Web", "`name`")


def test_diff_reports_a_newly_required_query_parameter_as_breaking() -> None:
    old = parse_openapi_text(SPEC)
    new = parse_openapi_text(
        SPEC.replace(
            "schema: {type: integer}}]",
            "schema: {type: integer}}, "
            "{name: v, in: query, required: true, schema: {type: string}}]",
        )
    )

    assert [c.message for c in diff_openapi(old, new) if c.breaking] == [
        "the query parameter 'v' is now required"
    ]


def test_pact_diff_sees_a_new_expected_field_and_a_loosened_one() -> None:
    old = parse_pact(pact_with({"id": 1}, rules={"$.id": {"matchers": [{"match": "type"}]}}))
    new = parse_pact(pact_with({"id": 1, "name": "Ada"}))

    changes = diff_pacts(old, new)

    assert {(c.asks_more, c.message) for c in changes} == {
        (True, "field name now expected"),
        (True, "the rule at $.id was removed (exact value now)"),
    }
    assert diff_pacts(new, new) == []


def test_the_corpus_cases_are_readable_documents() -> None:
    for case in CORPUS.iterdir():
        assert json.loads((case / "case.json").read_text())["why"]
