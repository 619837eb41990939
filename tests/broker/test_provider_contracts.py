"""Provider contracts on the broker: what a publication checks, stores and compares.

The official CLI's exchanges are in ``tests/interop/test_bidirectional.py``; these tests pin
the broker's own rules on SQLite and PostgreSQL: bad documents refused with where and why,
contents stored once per hash, comparisons computed once per pair of contents, and computed
from either side (a contract published before or after the pact).
"""

import base64
from typing import Any

import pytest
from accord_broker.db.provider_contract_models import (
    ProviderContractComparison,
    ProviderContractContent,
)
from sqlalchemy import create_engine, func, select

from tests.broker.conftest import RunningBroker, make_pact

OPENAPI = """\
openapi: 3.1.0
info: {title: Accounts, version: "1"}
paths:
  /accounts/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: an account
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account"}
components:
  schemas:
    Account:
      type: object
      additionalProperties: false
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
"""
PUBLISH = "/provider-contracts/provider/Accounts/publish"


def _body(document: str, version: str = "2", **contract: Any) -> dict[str, Any]:
    return {
        "pacticipantVersionNumber": version,
        "branch": "main",
        "contract": {
            "content": base64.b64encode(document.encode()).decode(),
            "contentType": "application/yaml",
            "specification": "oas",
            "selfVerificationResults": {"success": True, "verifier": "schemathesis"},
            **contract,
        },
    }


def _count(broker: RunningBroker, model: type[Any]) -> int:
    engine = create_engine(broker.database_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("document", "said"),
    [
        ("openapi: [unclosed", "neither valid YAML nor JSON (line 1"),
        ('swagger: "2.0"\ninfo: {title: x, version: "1"}\npaths: {}\n', "Swagger/OpenAPI 2.0"),
        ("just: a map\n", "has no 'openapi' version field"),
        (
            OPENAPI.replace('"#/components/schemas/Account"', '"#/components/schemas/Nope"'),
            "'#/components/schemas/Nope' points to nothing",
        ),
    ],
    ids=["invalid-yaml", "openapi-2", "not-openapi", "unresolvable-ref"],
)
def test_a_document_the_broker_cannot_compare_is_refused_saying_what_and_where(
    broker: RunningBroker, document: str, said: str
) -> None:
    response = broker.post(PUBLISH, _body(document))

    assert response.status_code == 400
    assert said in response.json()["errors"]["contract.content"][0]
    assert broker.get("/pacticipants/Accounts/versions/2").status_code == 404


def test_a_contract_without_self_verification_results_is_refused(broker: RunningBroker) -> None:
    body = _body(OPENAPI)
    del body["contract"]["selfVerificationResults"]

    response = broker.post(PUBLISH, body)

    assert response.status_code == 400
    assert (
        "--verification-success" in response.json()["errors"]["contract.selfVerificationResults"][0]
    )


def test_a_contract_published_before_the_pact_is_compared_when_the_pact_arrives(
    broker: RunningBroker,
) -> None:
    assert broker.post(PUBLISH, _body(OPENAPI)).status_code == 200

    broker.publish("Web", "1", make_pact("Web", "Accounts", "an account"), branch="main")

    contract = broker.get("/provider-contracts/provider/Accounts/version/2").json()
    assert [
        (c["consumer"], c["consumerVersion"], c["compatible"]) for c in contract["comparisons"]
    ] == [("Web", "1", True)]
    matrix = broker.get(
        "/matrix?q[][pacticipant]=Web&q[][version]=1&q[][pacticipant]=Accounts"
        "&q[][version]=2&latestby=cvpv"
    ).json()
    assert matrix["summary"]["deployable"] is True


def test_contents_and_comparisons_are_stored_once_per_hash(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "an account"), branch="main")
    for version in ("2", "3"):
        assert broker.post(PUBLISH, _body(OPENAPI, version)).status_code == 200
    broker.publish("Web", "2", make_pact("Web", "Accounts", "an account"), branch="main")

    assert _count(broker, ProviderContractContent) == 1
    assert _count(broker, ProviderContractComparison) == 1
    version = broker.get("/pacticipants/Accounts/versions/3").json()
    assert version["_links"]["pf:provider-contract"]["href"].endswith(
        "/provider-contracts/provider/Accounts/version/3"
    )


def test_an_incompatible_pair_fails_in_the_matrix_with_the_findings_as_reason(
    broker: RunningBroker,
) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "an account"), branch="main")
    renamed = OPENAPI.replace("name]", "title]").replace("name: {", "title: {")

    published = broker.post(PUBLISH, _body(renamed)).json()

    assert any("NOT compatible" in n["text"] for n in published["notices"])
    contract = broker.get("/provider-contracts/provider/Accounts/version/2").json()
    (comparison,) = contract["comparisons"]
    assert comparison["compatible"] is False
    assert {f["pactPath"] for f in comparison["findings"] if f["severity"] == "error"} == {
        "$.interactions[0].response.body.name"
    }
    matrix = broker.get(
        "/matrix?q[][pacticipant]=Web&q[][version]=1&q[][pacticipant]=Accounts"
        "&q[][version]=2&latestby=cvpv"
    ).json()
    assert matrix["summary"]["deployable"] is False
    assert "response.body.name" in matrix["summary"]["reason"]


def test_a_missing_contract_is_a_404_that_says_how_to_publish_one(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts"), branch="main")

    response = broker.get("/provider-contracts/provider/Web/version/1")

    assert response.status_code == 404
    assert "publish-provider-contract" in response.text


def test_the_ui_shows_the_contract_its_findings_and_the_matrix_rows_source(
    broker: RunningBroker,
) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "an account"), branch="main")
    renamed = OPENAPI.replace("name]", "title]").replace("name: {", "title: {")
    broker.post(PUBLISH, _body(renamed))
    html = {"Accept": "text/html"}

    page = broker.get("/provider-contracts/provider/Accounts/version/2", headers=html)
    matrix = broker.get("/matrix/provider/Accounts/consumer/Web", headers=html)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'data-compatible="false"' in page.text
    assert "$.interactions[0].response.body.name" in page.text
    assert "by schemathesis" in page.text
    assert "<script" not in page.text
    assert ">comparison</a>" in matrix.text
