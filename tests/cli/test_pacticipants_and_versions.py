"""Pacticipant, version, tag and branch commands against a real broker."""

from pathlib import Path

from cli_support import Accord, make_pact, write_pact


def test_create_or_update_pacticipant_creates_then_updates(accord: Accord) -> None:
    created = accord("create-or-update-pacticipant", "--name", "Billing", "--main-branch", "main")
    updated = accord(
        "create-or-update-pacticipant", "--name", "Billing", "--display-name", "Billing Service"
    )

    assert created.stdout.strip() == "✅ Pacticipant 'Billing' created successfully"
    assert updated.stdout.strip() == "✅ Pacticipant 'Billing' updated successfully"
    described = accord.json("describe-pacticipant", "--name", "Billing")
    assert described["displayName"] == "Billing Service"
    assert described["mainBranch"] == "main"


def test_describe_pacticipant_in_text_and_unknown_pacticipants(accord: Accord) -> None:
    accord("create-or-update-pacticipant", "--name", "Ledger")

    found = accord("describe-pacticipant", "--name", "Ledger")
    missing = accord("describe-pacticipant", "--name", "Nobody")

    assert "Name: Ledger" in found.stdout
    assert missing.exit_code == 2  # an input error (docs/exit-codes.md)
    assert "'Nobody' does not exist" in missing.stderr


def test_list_pacticipants_as_table_and_json(accord: Accord) -> None:
    for name in ("Alpha", "Beta"):
        accord("create-or-update-pacticipant", "--name", name)

    table = accord("list-pacticipants")
    listing = accord.json("list-pacticipants")

    assert "Alpha" in table.stdout and "Beta" in table.stdout
    names = [p["name"] for p in listing.get("pacticipants") or listing["_embedded"]["pacticipants"]]
    assert sorted(names) == ["Alpha", "Beta"]


def test_create_or_update_version_puts_it_on_a_branch_with_tags(accord: Accord) -> None:
    result = accord(
        "create-or-update-version", "-a", "Web", "-e", "abc123", "--branch", "main", "-t", "dev"
    )

    assert result.exit_code == 0, result.output
    table = accord("describe-version", "-a", "Web", "-e", "abc123")
    assert "abc123" in table.stdout
    assert "dev" in table.stdout
    assert "main" in table.stdout


def test_describe_version_latest_and_latest_with_tag(accord: Accord, tmp_path: Path) -> None:
    pact = write_pact(tmp_path, make_pact())
    accord("publish", str(pact), "-a", "1.0.0", "--tag", "prod")
    accord("publish", str(pact), "-a", "2.0.0")

    assert accord.json("describe-version", "-a", "Web")["number"] == "2.0.0"
    assert accord.json("describe-version", "-a", "Web", "--latest", "prod")["number"] == "1.0.0"


def test_describing_an_unknown_version_fails_with_exit_2(accord: Accord) -> None:
    accord("create-or-update-pacticipant", "--name", "Web")

    result = accord("describe-version", "-a", "Web", "-e", "0.0.0")

    assert result.exit_code == 2  # an input error (docs/exit-codes.md)
    assert "Pacticipant version not found" in result.stderr


def test_create_version_tag_needs_the_version_unless_auto_created(accord: Accord) -> None:
    accord("create-or-update-pacticipant", "--name", "Web")

    refused = accord("create-version-tag", "-a", "Web", "-e", "5.0.0", "-t", "prod")
    created = accord(
        "create-version-tag", "-a", "Web", "-e", "5.0.0", "-t", "prod", "qa",
        "--auto-create-version",
    )  # fmt: skip

    assert refused.exit_code == 2  # an input error (docs/exit-codes.md)
    assert created.exit_code == 0, created.output
    tags = accord.json("describe-version", "-a", "Web", "-e", "5.0.0")["_embedded"]["tags"]
    assert sorted(tag["name"] for tag in tags) == ["prod", "qa"]


def test_delete_branch_removes_a_branch_and_tolerates_a_missing_one(accord: Accord) -> None:
    accord("create-or-update-version", "-a", "Web", "-e", "1", "--branch", "feat/x")

    deleted = accord("delete-branch", "-a", "Web", "--branch", "feat/x")
    again = accord("delete-branch", "-a", "Web", "--branch", "feat/x")
    strict = accord(
        "delete-branch", "-a", "Web", "--branch", "feat/x", "--error-when-not-found", "true"
    )

    assert deleted.exit_code == 0, deleted.output
    assert again.exit_code == 0
    assert "not found" in again.stdout
    assert strict.exit_code == 2  # an input error (docs/exit-codes.md)


def test_list_latest_pact_versions(accord: Accord, tmp_path: Path) -> None:
    accord("publish", str(write_pact(tmp_path, make_pact("Web", "Accounts"))), "-a", "1.0.0")
    accord("publish", str(write_pact(tmp_path, make_pact("Web", "Transfers"))), "-a", "1.0.1")

    table = accord("list-latest-pact-versions")
    listing = accord.json("list-latest-pact-versions")

    assert table.exit_code == 0
    assert "Transfers" in table.stdout
    assert sorted(p["_embedded"]["provider"]["name"] for p in listing["pacts"]) == [
        "Accounts",
        "Transfers",
    ]
