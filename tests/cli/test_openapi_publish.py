"""``accord openapi publish`` against a real accord broker: a FastAPI app's document or a file,
with its self-verification, compared by the broker with the consumers' pacts."""

import json
from pathlib import Path
from typing import Any

import requests
from cli_support import Accord, write_pact

from providers.statements.app import create_app

APP = "providers.statements.app:app"


def mobile_pact() -> dict[str, Any]:
    """The mobile app's pact with statements: it reads each entry's ``description``."""
    entry = {"date": "2024-05-03", "amount": -2500, "description": "groceries"}
    return {
        "consumer": {"name": "mobile"},
        "provider": {"name": "statements"},
        "interactions": [
            {
                "description": "a request for an account's statement",
                "request": {"method": "GET", "path": "/accounts/1/statement"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"accountId": 1, "entries": [entry]},
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def publish_mobile_pact(accord: Accord, tmp_path: Path) -> None:
    pact = write_pact(tmp_path / "pacts", mobile_pact())
    published = accord("publish", str(pact), "-a", "m1", "--branch", "main")
    assert published.exit_code == 0, published.output


def contract(accord: Accord, version: str) -> requests.Response:
    url = f"{accord.broker_url}/provider-contracts/provider/statements/version/{version}"
    return requests.get(url, headers={"Accept": "application/hal+json"}, timeout=10)


def test_publishing_the_apps_document_with_its_tests_report_is_compared_with_the_pacts(
    accord: Accord, tmp_path: Path
) -> None:
    publish_mobile_pact(accord, tmp_path)
    report = tmp_path / "schema-tests.txt"
    report.write_text("3 passed\n", encoding="utf-8")

    result = accord(
        "openapi", "publish", "--app", APP, "--provider", "statements", "-a", "s1",
        "--branch", "main", "--tag", "prod,eu", "--build-url", "https://ci.example/1",
        "--verification-success", "--verification-results", str(report),
        "--verifier", "pytest", "--verifier-version", "9",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Compared with 1 consumer pact(s)" in result.stdout
    assert "Compatible with the pact of mobile m1" in result.stdout
    stored = contract(accord, "s1").json()
    assert json.loads(stored["content"]) == create_app().openapi()
    assert stored["contentType"] == "application/json"
    assert stored["buildUrl"] == "https://ci.example/1"
    assert stored["selfVerificationResults"]["success"] is True
    assert stored["selfVerificationResults"]["verifier"] == "pytest"
    assert stored["selfVerificationResults"]["verifierVersion"] == "9"
    assert "3 passed" in stored["selfVerificationResults"]["content"]
    deploy = accord("can-i-deploy", "--pacticipant", "mobile", "--version", "m1",
                    "--pacticipant", "statements", "--version", "s1")  # fmt: skip
    assert deploy.exit_code == 0, deploy.output
    tags = accord("describe-version", "--pacticipant", "statements", "--version", "s1",
                  "--output", "json")  # fmt: skip
    assert {"prod", "eu"} <= {t["name"] for t in json.loads(tags.stdout)["_embedded"]["tags"]}


def test_an_incompatible_document_is_published_and_can_i_deploy_names_the_field(
    accord: Accord, tmp_path: Path
) -> None:
    publish_mobile_pact(accord, tmp_path)
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(create_app(breaking=True).openapi()), encoding="utf-8")

    result = accord("openapi", "publish", str(spec), "--provider", "statements", "-a", "s2",
                    "--verification-exit-code", "0")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "NOT compatible with the pact of mobile m1" in result.stdout
    assert "entries[0].description" in result.stdout
    deploy = accord("can-i-deploy", "--pacticipant", "mobile", "--version", "m1",
                    "--pacticipant", "statements", "--version", "s2")  # fmt: skip
    assert deploy.exit_code == 1
    assert "description" in deploy.stdout, deploy.stdout


def test_a_failed_self_verification_makes_every_comparison_a_failure(
    accord: Accord, tmp_path: Path
) -> None:
    publish_mobile_pact(accord, tmp_path)

    result = accord("openapi", "publish", "--app", APP, "--provider", "statements",
                    "-a", "s3", "--verification-failure", "--output", "json")  # fmt: skip

    assert result.exit_code == 0, result.output
    texts = [n["text"] for n in json.loads(result.stdout)["notices"]]
    assert any("self-verification FAILED" in text for text in texts)
    assert contract(accord, "s3").json()["selfVerificationResults"]["success"] is False
    deploy = accord("can-i-deploy", "--pacticipant", "mobile", "--version", "m1",
                    "--pacticipant", "statements", "--version", "s3")  # fmt: skip
    assert deploy.exit_code == 1


def test_without_a_self_verification_nothing_is_sent(accord: Accord) -> None:
    result = accord("openapi", "publish", "--app", APP, "--provider", "statements", "-a", "s4")

    assert result.exit_code == 2
    assert "--verification-success" in result.output
    assert contract(accord, "s4").status_code == 404


def test_a_document_that_is_not_openapi_fails_before_any_request(
    accord: Accord, tmp_path: Path
) -> None:
    spec = tmp_path / "swagger.yaml"
    spec.write_text("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", "utf-8")

    result = accord("openapi", "publish", str(spec), "--provider", "statements", "-a", "s5",
                    "--verification-success")  # fmt: skip

    assert result.exit_code == 2
    assert "swagger.yaml" in result.output
    assert contract(accord, "s5").status_code == 404


def test_an_app_name_that_does_not_import_says_how_to_name_it(accord: Accord) -> None:
    result = accord("openapi", "publish", "--app", "providers.nowhere:app", "--provider", "x",
                    "-a", "1", "--verification-success")  # fmt: skip

    assert result.exit_code == 2
    assert "module:attribute" in result.output
