"""Environment commands create, update, describe, list and delete environments."""

import json

from cli_support import Accord


def test_create_environment_prints_the_uuid_and_lists_it(accord: Accord) -> None:
    result = accord("create-environment", "--name", "prod-eu", "--production", "-o", "id")

    assert result.exit_code == 0, result.output
    uuid = result.stdout.strip()
    listing = accord.json("list-environments")
    environments = {env["name"]: env for env in listing["_embedded"]["environments"]}
    assert environments["prod-eu"]["uuid"] == uuid
    assert environments["prod-eu"]["production"] is True
    assert environments["prod-eu"]["displayName"] == "Prod Eu"


def test_text_output_confirms_in_the_official_wording(accord: Accord) -> None:
    result = accord("create-environment", "--name", "staging", "--display-name", "Staging")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("✅ Created staging environment in the Pact Broker with UUID ")


def test_list_environments_prints_a_table(accord: Accord) -> None:
    accord("create-environment", "--name", "uat")

    result = accord("list-environments")

    assert result.exit_code == 0
    assert "NAME" in result.stdout
    assert "uat" in result.stdout


def test_update_environment_changes_only_what_is_given(accord: Accord) -> None:
    uuid = accord("create-environment", "--name", "qa", "--contact-name", "Team A", "-o", "id")
    uuid_text = uuid.stdout.strip()

    result = accord("update-environment", "--uuid", uuid_text, "--display-name", "Quality")

    assert result.exit_code == 0, result.output
    described = accord.json("describe-environment", "--uuid", uuid_text)
    assert described["displayName"] == "Quality"
    assert described["name"] == "qa"
    assert described["contacts"][0]["name"] == "Team A"


def test_describe_environment_in_text(accord: Accord) -> None:
    uuid = accord("create-environment", "--name", "dev", "-o", "id").stdout.strip()

    result = accord("describe-environment", "--uuid", uuid)

    assert result.exit_code == 0
    assert "Name: dev" in result.stdout
    assert "Production: False" in result.stdout


def test_delete_environment_removes_it(accord: Accord) -> None:
    uuid = accord("create-environment", "--name", "tmp", "-o", "id").stdout.strip()

    result = accord("delete-environment", "--uuid", uuid)

    assert result.exit_code == 0, result.output
    names = [e["name"] for e in accord.json("list-environments")["_embedded"]["environments"]]
    assert "tmp" not in names


def test_a_duplicate_name_fails_with_the_brokers_reason(accord: Accord) -> None:
    accord("create-environment", "--name", "prod")

    result = accord("create-environment", "--name", "prod")

    assert result.exit_code == 2  # an input error (docs/exit-codes.md)
    assert "name" in result.stderr
    assert "400" in result.stderr


def test_describing_an_unknown_environment_fails_with_the_url(accord: Accord) -> None:
    result = accord("describe-environment", "--uuid", "no-such-uuid")

    assert result.exit_code == 1
    assert "/environments/no-such-uuid" in result.stderr
    assert "404" in result.stderr


def test_json_output_parses(accord: Accord) -> None:
    result = accord("create-environment", "--name", "perf", "-o", "json")

    assert json.loads(result.stdout)["name"] == "perf"
