"""``$ref`` to other files: followed offline relative to the referring file, refused remotely
and in documents given as text (a broker's provider contract), with where and how to fix."""

import base64
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli.app import cli
from accord.errors import OpenApiError
from accord.openapi import load_openapi, parse_openapi_text
from tests.broker.conftest import start_broker

MAIN = """\
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /users/{id}:
    $ref: "./paths/user.yaml"
components:
  schemas:
    Tag: {type: string}
"""
PATH_ITEM = """\
get:
  parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
  responses:
    "200":
      description: a user
      content:
        application/json:
          schema: {$ref: "../schemas/user.yaml#/User"}
"""
SCHEMAS = """\
User:
  type: object
  additionalProperties: false
  properties:
    id: {type: integer}
    name: {$ref: "#/Name"}
    tag: {$ref: "../openapi.yaml#/components/schemas/Tag"}
    friend: {$ref: "#/User"}
Name: {type: string, maxLength: 5}
"""
PACT = """\
{"consumer": {"name": "Web"}, "provider": {"name": "Users"},
 "interactions": [{"description": "a user",
   "request": {"method": "GET", "path": "/users/1"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "body": {"id": 1, "name": "Adalbert", "tag": "x"}}}],
 "metadata": {"pactSpecification": {"version": "3.0.0"}}}
"""


def split_document(root: Path, path_item: str = PATH_ITEM, main: str = MAIN) -> Path:
    (root / "paths").mkdir()
    (root / "schemas").mkdir()
    (root / "paths" / "user.yaml").write_text(path_item)
    (root / "schemas" / "user.yaml").write_text(SCHEMAS)
    (root / "openapi.yaml").write_text(main)
    (root / "pact.json").write_text(PACT)
    return root / "openapi.yaml"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), prog_name="accord")


def test_check_follows_refs_to_other_files_and_names_the_file_in_the_pointer(
    tmp_path: Path,
) -> None:
    spec = split_document(tmp_path)

    result = run("openapi", "check", str(spec), str(tmp_path / "pact.json"))

    assert result.exit_code == 1, result.output
    assert "/x-accord-files/schemas~1user.yaml/Name/maxLength" in result.stdout
    assert "'Adalbert' is too long" in result.stdout


def test_refs_between_files_may_be_recursive_and_point_back_into_the_main_document(
    tmp_path: Path,
) -> None:
    document = load_openapi(split_document(tmp_path))

    (operation,) = document.operations
    assert operation.label == "GET /users/{id}"
    files = document.data["x-accord-files"]
    user = files["schemas/user.yaml"]["User"]["properties"]
    assert user["friend"] == {"$ref": "#/x-accord-files/schemas~1user.yaml/User"}
    assert user["tag"] == {"$ref": "#/components/schemas/Tag"}


def test_diff_follows_refs_to_other_files(tmp_path: Path) -> None:
    old = split_document(tmp_path)
    new = tmp_path / "new.yaml"
    new.write_text(MAIN.replace("./paths/user.yaml", "./paths/user-v2.yaml"))
    (tmp_path / "paths" / "user-v2.yaml").write_text(PATH_ITEM.replace("integer", "string"))

    result = run("openapi", "diff", str(old), str(new))

    assert result.exit_code == 1, result.output
    assert "GET /users/{id}" in result.stdout


def test_a_missing_file_exits_2_naming_the_file_and_the_referring_pointer(
    tmp_path: Path,
) -> None:
    spec = split_document(tmp_path, PATH_ITEM.replace("schemas/user.yaml", "schemas/nope.yaml"))

    result = run("openapi", "check", str(spec), str(tmp_path / "pact.json"))

    assert result.exit_code == 2
    assert "schemas/nope.yaml" in result.stderr
    assert "paths/user.yaml at /get/responses/200/content/application~1json/schema" in (
        result.stderr
    )


def test_a_remote_ref_is_refused_without_a_request(tmp_path: Path) -> None:
    spec = split_document(
        tmp_path, main=MAIN.replace("./paths/user.yaml", "http://127.0.0.1:9/user.yaml")
    )

    with pytest.raises(OpenApiError) as raised:
        load_openapi(spec)

    assert raised.value.pointer == "/paths/~1users~1{id}"
    assert "does not fetch documents over the network" in raised.value.problem


def test_a_document_given_as_text_refuses_refs_to_files_and_says_to_bundle_it() -> None:
    with pytest.raises(OpenApiError) as raised:
        parse_openapi_text(MAIN, source="contract")

    assert raised.value.pointer == "/paths/~1users~1{id}"
    assert "another file" in raised.value.problem
    assert "bundle" in raised.value.hint


def test_the_broker_refuses_a_contract_with_a_ref_to_another_file(tmp_path: Path) -> None:
    body = {
        "pacticipantVersionNumber": "1",
        "contract": {
            "content": base64.b64encode(MAIN.encode()).decode(),
            "contentType": "application/yaml",
            "specification": "oas",
            "selfVerificationResults": {"success": True},
        },
    }
    with start_broker(f"sqlite:///{tmp_path / 'broker.sqlite'}") as broker:
        response = broker.post("/provider-contracts/provider/Users/publish", body)

    assert response.status_code == 400
    (message,) = response.json()["errors"]["contract.content"]
    assert "'./paths/user.yaml' points to another file" in message
    assert "bundle the document into one file first" in message
