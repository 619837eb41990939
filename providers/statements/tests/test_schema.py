"""statements' self-verification: the app's responses honour its own OpenAPI document.

This is the evidence published with the document (``accord openapi publish
--verification-exit-code``): each response of the running app is validated against the
schema ``app.openapi()`` documents for it. (In CI, schemathesis does the same, generating the
requests: see docs/ci-recipes.md.)
"""

from typing import Any

import jsonschema
import pytest
import requests

from accord.testing import serve_app
from providers.statements.app import create_app


def _response_schema(document: dict[str, Any], path: str, status: str) -> dict[str, Any]:
    content = document["paths"][path]["get"]["responses"][status]["content"]
    schema: dict[str, Any] = content["application/json"]["schema"]
    return {**schema, "components": document.get("components", {})}


@pytest.mark.parametrize("breaking", [False, True])
def test_a_statement_matches_the_documented_schema(breaking: bool) -> None:
    app = create_app(breaking=breaking)
    with serve_app(app) as server:
        response = requests.get(f"{server.url}/accounts/1/statement", timeout=10)

    assert response.status_code == 200
    schema = _response_schema(app.openapi(), "/accounts/{account_id}/statement", "200")
    jsonschema.validate(response.json(), schema)
    assert ("memo" if breaking else "description") in response.json()["entries"][0]


def test_an_unknown_account_is_a_documented_error() -> None:
    with serve_app(create_app(breaking=False)) as server:
        response = requests.get(f"{server.url}/accounts/99/statement", timeout=10)

    assert response.status_code == 404
    assert response.json() == {"detail": "no account 99"}


def test_the_document_names_additional_properties_forbidden() -> None:
    document = create_app(breaking=False).openapi()

    entry = document["components"]["schemas"]["Entry"]
    assert entry["additionalProperties"] is False
    assert set(entry["required"]) == {"date", "amount", "description"}
