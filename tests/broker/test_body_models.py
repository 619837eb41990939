"""Request bodies are parsed into typed models at the HTTP edge (issue #17): a wrong type or an
unusable name is the Pact Broker's 400 naming the field, the same on SQLite and PostgreSQL
(issue #20), never FastAPI's 422 shape; the OpenAPI document describes each body's fields."""

from typing import Any

import pytest

from tests.broker.conftest import RunningBroker, make_pact

FOR_VERIFICATION = "/pacts/provider/Accounts/for-verification"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"consumerVersionSelectors": [{"tag": "pr\x00d", "latest": True}]},
            "consumerVersionSelectors",
            "tag cannot contain the control character U+0000 (at index 0)",
        ),
        (
            {"consumerVersionSelectors": [{"environment": "pr\x07d"}]},
            "consumerVersionSelectors",
            "environment cannot contain the control character U+0007 (at index 0)",
        ),
        (
            {"consumerVersionSelectors": [{"consumer": "We\x00b", "mainBranch": True}]},
            "consumerVersionSelectors",
            "consumer cannot contain the control character U+0000 (at index 0)",
        ),
        (
            {"providerVersionBranch": "ma\x00in"},
            "providerVersionBranch",
            "cannot contain the control character U+0000",
        ),
        (
            {"providerVersionTags": ["ok", "pr\x00d"]},
            "providerVersionTags[1]",
            "cannot contain the control character U+0000",
        ),
    ],
)
def test_a_control_character_in_a_for_verification_name_is_a_400_naming_it(
    broker: RunningBroker, body: dict[str, Any], field: str, message: str
) -> None:
    assert broker.publish("Web", "1", make_pact(), branch="main").status_code == 200

    response = broker.post(FOR_VERIFICATION, body)

    assert response.status_code == 400, response.text
    assert response.json()["errors"] == {field: [message]}
    assert response.json()["error"].startswith("invalid pacts-for-verification request: ")


def test_snake_case_selector_keys_are_read_as_the_pact_broker_reads_them(
    broker: RunningBroker,
) -> None:
    assert broker.publish("Web", "1", make_pact(), branch="main").status_code == 200

    response = broker.post(
        FOR_VERIFICATION,
        {
            "consumer_version_selectors": [{"main_branch": True}],
            "include_pending_status": True,
            "provider_version_branch": "main",
        },
    )

    assert response.status_code == 200, response.text
    [entry] = response.json()["_embedded"]["pacts"]
    assert entry["verificationProperties"]["pending"] is True


def test_a_wrong_type_is_the_broker_400_never_fastapi_422(broker: RunningBroker) -> None:
    response = broker.post("/environments", {"name": "prod", "production": "yes"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid environment: production: must be true or false",
        "errors": {"production": ["must be true or false"]},
    }


def test_a_nested_field_is_named_by_its_path(broker: RunningBroker) -> None:
    response = broker.post(
        "/environments", {"name": "prod", "production": True, "contacts": [{"details": {}}, 3]}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "contacts[0].name": ["is missing or blank"],
        "contacts[1]": ["must be an object"],
    }


def test_a_version_tag_name_follows_the_name_rules(broker: RunningBroker) -> None:
    response = broker.put("/pacticipants/Web/versions/1", {"tags": [{"name": "a\x00b"}]})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "tags[0].name": ["cannot contain the control character U+0000"]
    }
    assert broker.get("/pacticipants/Web/versions/1").status_code == 404


def test_an_application_instance_follows_the_name_rules(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", make_pact()).status_code == 200
    created = broker.post("/environments", {"name": "prod", "production": True})
    uuid = created.json()["uuid"]

    response = broker.post(
        f"/pacticipants/Web/versions/1/deployed-versions/environment/{uuid}",
        {"applicationInstance": "blue\x00"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "applicationInstance": ["cannot contain the control character U+0000"]
    }


def test_put_of_a_missing_pacticipant_is_a_404_before_its_body_is_judged(
    broker: RunningBroker,
) -> None:
    response = broker.put("/pacticipants/Nobody", {"mainBranch": 3})

    assert response.status_code == 404


def test_the_openapi_document_describes_a_body_by_its_model(broker: RunningBroker) -> None:
    document = broker.get("/openapi.json").json()

    body = document["paths"]["/pacts/provider/{provider}/for-verification"]["post"]
    schema = body["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ForVerificationBody"}
    described = document["components"]["schemas"]
    assert "consumerVersionSelectors" in described["ForVerificationBody"]["properties"]
    assert "mainBranch" in described["ConsumerVersionSelector"]["properties"]
    assert described["EnvironmentBody"]["required"] == ["name", "production"]


def test_every_bad_webhook_header_is_named_and_a_wrong_type_is_a_400(
    broker: RunningBroker,
) -> None:
    body = {
        "enabled": "yes",
        "request": {
            "method": "POST",
            "url": "https://ci.example.com/hook",
            "headers": {"X Spaced": "1", "X-Build": "1\r\nX-Injected: yes", "X-Ok": "1"},
        },
    }

    response = broker.post("/webhooks", body)

    assert response.status_code == 400, response.text
    assert response.json()["errors"] == {
        "enabled": ["must be true or false"],
        "request.headers.X Spaced": [
            "header name 'X Spaced' is not a valid HTTP header name "
            "(letters, digits and !#$%&'*+.^_`|~- only)"
        ],
        "request.headers.X-Build": [
            "header X-Build must be a single line: CR, LF and NUL are not allowed in its value"
        ],
    }
    assert response.json()["error"].startswith("invalid webhook: ")


def test_a_publication_reports_every_contract_problem_by_index(broker: RunningBroker) -> None:
    response = broker.post(
        "/contracts/publish",
        {
            "pacticipantName": "Web",
            "pacticipantVersionNumber": "1",
            "tags": "main",
            "contracts": [7, {"consumerName": "Web", "content": "not base64!"}],
        },
    )

    assert response.status_code == 400, response.text
    assert response.json()["errors"] == {
        "tags": ["must be an array of non-blank strings"],
        "contracts": [
            "must be an object (at index 0)",
            "providerName is missing or blank (at index 1)",
            "content is not valid base64 of UTF-8 text (at index 1)",
        ],
    }
    assert broker.get("/pacticipants/Web").status_code == 404


def test_a_provider_contract_branch_follows_the_name_rules(broker: RunningBroker) -> None:
    response = broker.post(
        "/provider-contracts/provider/Accounts/publish",
        {
            "pacticipantVersionNumber": "1",
            "branch": "ma\x00in",
            "contract": {"content": "eA==", "selfVerificationResults": {"success": True}},
        },
    )

    assert response.status_code == 400, response.text
    assert response.json()["errors"] == {"branch": ["cannot contain the control character U+0000"]}


@pytest.mark.parametrize(
    ("path", "method", "model", "field"),
    [
        ("/contracts/publish", "post", "PublishContractsBody", "pacticipantVersionNumber"),
        ("/webhooks", "post", "WebhookBody", "request"),
        ("/webhooks/{uuid}", "put", "WebhookBody", "events"),
        (
            "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}"
            "/verification-results",
            "post",
            "VerificationBody",
            "providerApplicationVersion",
        ),
        (
            "/provider-contracts/provider/{provider}/publish",
            "post",
            "ProviderContractBody",
            "contract",
        ),
        ("/deployed-versions/{uuid}", "patch", "PlacementPatchBody", "currentlyDeployed"),
    ],
)
def test_the_openapi_document_describes_each_body_by_its_model(
    broker: RunningBroker, path: str, method: str, model: str, field: str
) -> None:
    document = broker.get("/openapi.json").json()

    operation = document["paths"][path][method]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": f"#/components/schemas/{model}"}
    assert field in document["components"]["schemas"][model]["properties"]
