"""Bodies that are not JSON: what is judged, and what is said to be left unjudged.

The verdicts of the common cases are in the corpus (``corpus/form-*``, ``multipart-*``,
``xml-*``, ``text-plain-*``); these tests pin the findings' details and the warnings that
replace a silent pass.
"""

from typing import Any

import yaml

from accord.openapi import Comparison, compare_pact, parse_openapi_text
from accord.pact import parse_pact


def compare(
    operation: dict[str, Any], request: dict[str, Any], response: dict[str, Any]
) -> Comparison:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Docs", "version": "1"},
        "paths": {"/docs": operation},
        "components": {
            "schemas": {
                "Doc": {
                    "type": "object",
                    "xml": {"name": "doc", "namespace": "urn:docs", "prefix": "d"},
                    "properties": {"title": {"type": "string"}},
                }
            }
        },
    }
    pact = {
        "consumer": {"name": "Web"},
        "provider": {"name": "Docs"},
        "interactions": [
            {"description": "docs", "request": {"path": "/docs", **request}, "response": response}
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    return compare_pact(parse_openapi_text(yaml.safe_dump(document)), parse_pact(pact))


def xml_get(body: str, **response: Any) -> Comparison:
    operation = {
        "get": {
            "responses": {
                "200": {
                    "description": "a doc",
                    "content": {
                        "application/xml": {"schema": {"$ref": "#/components/schemas/Doc"}}
                    },
                }
            }
        }
    }
    headers = {"Content-Type": "application/xml"}
    return compare(
        operation, {"method": "GET"}, {"status": 200, "headers": headers, "body": body, **response}
    )


def codes(comparison: Comparison) -> list[tuple[str, str]]:
    return [(f.severity.value, f.code) for f in comparison.findings]


def test_an_xml_namespace_is_compared_and_a_prefix_is_said_to_be_unchecked() -> None:
    good = xml_get('<d:doc xmlns:d="urn:docs"><title>t</title></d:doc>')
    wrong = xml_get('<doc xmlns="urn:other"><title>t</title></doc>')

    assert good.compatible
    assert ("warning", "response.body.not-checked") in codes(good)
    assert any("prefix" in f.message for f in good.warnings)
    (error,) = wrong.errors
    assert error.openapi_pointer == "/components/schemas/Doc/xml/namespace"
    assert "urn:docs" in error.message


def test_malformed_xml_is_an_error_and_a_doctype_is_not_parsed() -> None:
    broken = xml_get("<doc xmlns='urn:docs'><title>t</doc>")
    doctype = xml_get('<!DOCTYPE doc [<!ENTITY x "y">]><doc xmlns="urn:docs">&x;</doc>')

    assert [f.code for f in broken.errors] == ["response.body.incompatible"]
    assert "not well-formed XML" in broken.errors[0].message
    assert doctype.compatible
    assert any("DOCTYPE" in f.message for f in doctype.warnings)


def test_matching_rules_on_an_xml_body_are_said_to_be_unapplied() -> None:
    rules = {"body": {"$.doc.title": {"matchers": [{"match": "type"}]}}}
    comparison = xml_get('<doc xmlns="urn:docs"><title>t</title></doc>', matchingRules=rules)

    assert any("matching rules" in f.message for f in comparison.warnings)


def test_an_undocumented_xml_element_is_an_error_under_strict_only_in_responses() -> None:
    comparison = xml_get('<doc xmlns="urn:docs"><title>t</title><author>A</author></doc>')

    assert comparison.compatible
    assert ("warning", "response.body.undocumented-field") in codes(comparison)
    assert any(f.pact_path.endswith(".body.author") for f in comparison.warnings)


def test_a_binary_body_is_said_to_be_unchecked() -> None:
    operation = {
        "put": {
            "requestBody": {
                "content": {"application/octet-stream": {"schema": {"type": "string"}}}
            },
            "responses": {"204": {"description": "stored"}},
        }
    }
    request = {
        "method": "PUT",
        "headers": {"Content-Type": "application/octet-stream"},
        "body": "AAEC",
    }
    comparison = compare(operation, request, {"status": 204})

    assert comparison.compatible
    (warning,) = comparison.warnings
    assert warning.code == "request.body.not-checked"
    assert "application/octet-stream" in warning.message


def test_an_undocumented_content_type_names_both_sides() -> None:
    operation = {
        "post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"204": {"description": "stored"}},
        }
    }
    request = {"method": "POST", "headers": {"Content-Type": "application/xml"}, "body": "<a/>"}
    (error,) = compare(operation, request, {"status": 204}).errors

    assert error.code == "request.content-type.incompatible"
    assert "application/xml" in error.message and "application/json" in error.message


def test_an_undocumented_form_field_is_a_warning_and_a_part_of_the_wrong_type_an_error() -> None:
    schema = {"type": "object", "properties": {"avatar": {"type": "string"}}}
    operation = {
        "post": {
            "requestBody": {
                "content": {
                    "multipart/form-data": {
                        "schema": schema,
                        "encoding": {"avatar": {"contentType": "image/png"}},
                    }
                }
            },
            "responses": {"204": {"description": "stored"}},
        }
    }
    body = (
        '--b\r\nContent-Disposition: form-data; name="avatar"; filename="a.gif"\r\n'
        "Content-Type: image/gif\r\n\r\nGIF\r\n"
        '--b\r\nContent-Disposition: form-data; name="nickname"\r\n\r\nada\r\n--b--\r\n'
    )
    request = {
        "method": "POST",
        "headers": {"Content-Type": "multipart/form-data; boundary=b"},
        "body": body,
    }
    comparison = compare(operation, request, {"status": 204})

    assert codes(comparison) == [
        ("error", "request.body.incompatible"),
        ("warning", "request.body.unknown-field"),
    ]
    assert comparison.errors[0].openapi_pointer == (
        "/paths/~1docs/post/requestBody/content/multipart~1form-data/encoding/avatar/contentType"
    )
    assert "image/gif" in comparison.errors[0].message


def test_a_multipart_body_whose_boundary_is_wrong_is_said_to_be_unchecked() -> None:
    operation = {
        "post": {
            "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
            "responses": {"204": {"description": "stored"}},
        }
    }
    request = {
        "method": "POST",
        "headers": {"Content-Type": "multipart/form-data; boundary=other"},
        "body": '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
    }
    comparison = compare(operation, request, {"status": 204})

    assert comparison.compatible
    assert [f.code for f in comparison.warnings] == ["request.body.not-checked"]


def test_a_text_body_against_a_number_schema_is_read_as_a_number() -> None:
    operation = {
        "get": {
            "responses": {
                "200": {
                    "description": "a count",
                    "content": {"text/plain": {"schema": {"type": "integer", "maximum": 10}}},
                }
            }
        }
    }
    headers = {"Content-Type": "text/plain"}
    fine = compare(operation, {"method": "GET"}, {"status": 200, "headers": headers, "body": "7"})
    high = compare(operation, {"method": "GET"}, {"status": 200, "headers": headers, "body": "70"})

    assert fine.compatible
    assert [f.openapi_pointer for f in high.errors] == [
        "/paths/~1docs/get/responses/200/content/text~1plain/schema/maximum"
    ]
