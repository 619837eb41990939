"""``accord`` covers every ``pact broker`` command, and the newer ones answer as the official CLI.

The command lists are compared by parsing ``pact broker --help`` at test time, so a command added
to the official CLI fails this module until accord has it (or it is excluded here, with the
reason). ``get-pacts``, ``delete-version-tag``, ``generate-uuid`` and ``provider-states list``
then run through both CLIs against one seeded accord broker and must give the same documents.
"""

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from accord_broker import Settings, create_app
from cli_support import PACT, Accord, make_pact, run_binary, write_pact
from click.testing import Result

from accord.cli import cli
from accord.testing import serve_app

pytestmark = pytest.mark.interop

#: Official commands accord deliberately does not have, and why.
EXCLUDED = {
    "ruby": "installs and runs the Ruby Pact Broker; accord ships its own (`accord broker serve`)",
    "docker": "runs the Ruby Pact Broker's Docker image; `accord broker serve` replaces it",
    "help": "clap's generated help command; accord answers -h/--help on every command",
}

#: Flags every official command takes that accord does not offer (tracing, logging, TLS files).
IGNORED_FLAGS = {
    "--enable-otel",
    "--enable-otel-logs",
    "--enable-otel-traces",
    "--otel-exporter",
    "--otel-exporter-endpoint",
    "--otel-exporter-protocol",
    "--log-level",
    "--ssl-certificate",
    "--skip-ssl-verification",
    "--ssl-trust-store",
}


def official_help(*command: str) -> str:
    result = run_binary([PACT, "broker", *command, "--help"])
    assert result.returncode == 0, result.stderr
    return result.stdout


def listed_commands(help_text: str) -> set[str]:
    """The names in the ``Commands:`` section of a clap help page."""
    section = help_text.split("Commands:", 1)[1].split("\n\n", 1)[0]
    return {line.split()[0] for line in section.splitlines() if line.strip()}


def long_flags(help_text: str) -> set[str]:
    """The ``--long`` option names of a clap help page."""
    return set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", help_text, flags=re.MULTILINE))


def test_accord_has_every_official_pact_broker_command() -> None:
    official = listed_commands(official_help())
    assert {"publish", "can-i-deploy", "get-pacts"} <= official  # the parsing found the list
    assert set(EXCLUDED) <= official, "an exclusion no longer exists upstream: drop it"
    missing = official - set(EXCLUDED) - set(cli.commands)
    assert not missing, f"official `pact broker` commands accord lacks: {sorted(missing)}"


def test_provider_states_has_the_official_subcommands() -> None:
    official = listed_commands(official_help("provider-states")) - {"help"}
    group = cli.commands["provider-states"]
    assert official == set(getattr(group, "commands", {}))


def accord_flags(*path: str) -> set[str]:
    command: Any = cli
    for name in path:
        command = command.commands[name]
    return {opt for param in command.params for opt in param.opts if opt.startswith("--")}


@pytest.mark.parametrize(
    "path",
    [("get-pacts",), ("delete-version-tag",), ("generate-uuid",), ("provider-states", "list")],
    ids=" ".join,
)
def test_the_new_commands_take_the_official_flags(path: tuple[str, ...]) -> None:
    parsed = long_flags(official_help(*path))
    assert "--log-level" in parsed, "no flags parsed from the official help"
    official = parsed - IGNORED_FLAGS - {"--help"}
    assert official <= accord_flags(*path), official - accord_flags(*path)


# -- the same broker, both CLIs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def broker_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One broker for the module: Web 1.0.0 and 1.1.0 (tagged prod, dev) on main, Mobile 3.0.0
    on main and 3.1.0 on feat/x; Web 1.0.0 deployed to production."""
    directory = tmp_path_factory.mktemp("parity")
    settings = Settings(database_url=f"sqlite:///{directory / 'broker.sqlite'}")
    with serve_app(create_app(settings)) as server:
        accord = Accord(server.url)
        steps = [
            ("Web", "1.0.0", "main", [{"name": "an account exists", "params": {"id": 1}}]),
            ("Web", "1.1.0", "main", [{"name": "an account exists", "params": {"id": 2}}]),
            ("Mobile", "3.0.0", "main", [{"name": "an account exists", "params": {"id": 2}}]),
            ("Mobile", "3.1.0", "feat/x", [{"name": "a locked account"}]),
        ]
        for consumer, version, branch, states in steps:
            document = make_pact(consumer)
            document["interactions"][0]["providerStates"] = states
            pact = write_pact(directory / version, document)
            ok(accord("publish", str(pact), "-a", version, "--branch", branch, "-t", "prod,dev"))
        ok(accord("create-environment", "--name", "production"))
        ok(accord("record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "production"))
        yield server.url


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def official(broker_url: str, *args: str, cwd: Path | None = None) -> tuple[int, str]:
    result = run_binary([PACT, "broker", *args], broker_url=broker_url, cwd=cwd)
    return result.returncode, result.stdout + result.stderr


def ours(broker_url: str, *args: str) -> tuple[int, str]:
    result = Accord(broker_url)(*args)
    return result.exit_code, result.output


GET_PACTS = [
    [],
    ["--latest"],
    ["--branch", "feat/x"],
    ["--branch", "feat/x", "--latest"],
    ["--consumer", "Web"],
    ["--consumer", "Web", "--latest"],
    ["--consumer", "Mobile", "--branch", "feat/x"],
    ["--consumer", "Web", "--branch", "main", "--latest"],
]


@pytest.mark.parametrize("args", GET_PACTS, ids=lambda args: " ".join(args) or "main")
def test_get_pacts_prints_the_same_json(broker_url: str, args: list[str]) -> None:
    argv = ["get-pacts", "--provider", "Accounts", *args, "--output", "json"]
    official_code, official_out = official(broker_url, *argv)
    our_code, our_out = ours(broker_url, *argv)
    assert (official_code, our_code) == (0, 0), official_out + our_out
    theirs, mine = json.loads(official_out), json.loads(our_out)
    assert mine == theirs
    assert mine.get("pacts") or mine.get("interactions"), "the comparison must not be vacuous"


def test_get_pacts_tables_list_the_same_pacts(broker_url: str) -> None:
    official_code, official_out = official(broker_url, "get-pacts", "--provider", "Accounts")
    our_code, our_out = ours(broker_url, "get-pacts", "--provider", "Accounts")
    assert (official_code, our_code) == (0, 0)
    links = set(re.findall(r"http://[^\s\"]+/version/[\w.]+", official_out))
    assert len(links) == 3  # Mobile 3.0.0, Web 1.1.0 and 1.0.0 on main
    assert set(re.findall(r"http://[^\s\"]+/version/[\w.]+", our_out)) == links


def test_get_pacts_downloads_the_same_files(broker_url: str, tmp_path: Path) -> None:
    argv = ["get-pacts", "--provider", "Accounts", "--branch", "main", "--download"]
    code, out = official(broker_url, *argv, "--download-dir", str(tmp_path / "official"))
    assert code == 0, out
    ok(Accord(broker_url)(*argv, "--download-dir", str(tmp_path / "accord")))
    theirs = {p.name: json.loads(p.read_text()) for p in (tmp_path / "official").iterdir()}
    mine = {p.name: json.loads(p.read_text()) for p in (tmp_path / "accord").iterdir()}
    assert sorted(mine) == ["Mobile-Accounts-3.0.0.json", "Web-Accounts-1.0.0.json",
                            "Web-Accounts-1.1.0.json"]  # fmt: skip
    assert mine == theirs


def test_an_unknown_provider_fails_both_with_accords_lookup_code(broker_url: str) -> None:
    official_code, _ = official(broker_url, "get-pacts", "--provider", "Nobody")
    our_code, our_out = ours(broker_url, "get-pacts", "--provider", "Nobody")
    # The official CLI exits 1; accord's exit codes make an unknown name an input error (2).
    assert (official_code, our_code) == (1, 2)
    assert "Nobody" in our_out


def tags_of(broker_url: str, pacticipant: str, version: str) -> set[str]:
    response = requests.get(
        f"{broker_url}/pacticipants/{pacticipant}/versions/{version}", timeout=30
    )
    assert response.status_code == 200, response.text
    return {tag["name"] for tag in response.json()["_embedded"]["tags"]}


def test_delete_version_tag_removes_the_tag_and_tolerates_a_missing_one(broker_url: str) -> None:
    for tag in ("gone-official", "gone-accord"):
        ok(Accord(broker_url)("create-version-tag", "-a", "Mobile", "-e", "3.0.0", "-t", tag))
    base = ["delete-version-tag", "--pacticipant", "Mobile", "--version", "3.0.0", "--tag"]
    official_code, official_out = official(broker_url, *base, "gone-official")
    our_code, our_out = ours(broker_url, *base, "gone-accord")
    assert (official_code, our_code) == (0, 0), official_out + our_out
    assert "gone-official" in official_out and "Deleted tag 'gone-accord'" in our_out
    assert tags_of(broker_url, "Mobile", "3.0.0") == {"prod", "dev"}

    for tag in ("gone-official", "gone-accord"):
        official_code, official_out = official(broker_url, *base, tag)
        our_code, our_out = ours(broker_url, *base, tag)
        assert (official_code, our_code) == (0, 0)
        assert "was not found" in official_out and "was not found" in our_out
    missing = ["delete-version-tag", "-a", "Nobody", "-e", "1", "-t", "x"]
    assert (official(broker_url, *missing)[0], ours(broker_url, *missing)[0]) == (0, 0)


def test_generate_uuid_prints_one_fresh_uuid() -> None:
    official_code, official_out = official("http://unused.invalid", "generate-uuid")
    first, second = ours("http://unused.invalid", "generate-uuid"), ours("", "generate-uuid")
    assert (official_code, first[0], second[0]) == (0, 0, 0)
    for out in (official_out, first[1], second[1]):
        assert uuid.UUID(out.strip()).version == 4
    assert first[1] != second[1]


@pytest.mark.parametrize(
    "scope",
    [[], ["--branch", "feat/x"], ["--environment", "production"]],
    ids=lambda scope: " ".join(scope) or "main",
)
def test_provider_states_list_prints_the_same_json(broker_url: str, scope: list[str]) -> None:
    argv = ["provider-states", "list", "--provider", "Accounts", *scope, "--json"]
    official_code, official_out = official(broker_url, *argv)
    our_code, our_out = ours(broker_url, *argv)
    assert (official_code, our_code) == (0, 0), official_out + our_out
    mine = json.loads(our_out)
    assert mine == json.loads(official_out)
    assert mine["providerStates"], "the comparison must not be vacuous"


def test_provider_states_tables_show_the_same_rows(broker_url: str) -> None:
    argv = ["provider-states", "list", "-r", "Accounts"]
    official_code, official_out = official(broker_url, *argv)
    our_code, our_out = ours(broker_url, *argv)
    assert (official_code, our_code) == (0, 0)
    for text in ("Provider States for Provider: Accounts", "Scope: Main branch",
                 "an account exists", "Mobile, Web", '{"id":2}'):  # fmt: skip
        assert text in official_out and text in our_out


def test_provider_states_refuses_a_branch_and_an_environment_together(broker_url: str) -> None:
    argv = ["provider-states", "list", "-r", "Accounts", "--branch", "a", "--environment", "b"]
    assert (official(broker_url, *argv)[0], ours(broker_url, *argv)[0]) == (2, 2)


def test_provider_states_of_an_unknown_provider(broker_url: str) -> None:
    argv = ["provider-states", "list", "-r", "Nobody"]
    official_code, _ = official(broker_url, *argv)
    our_code, our_out = ours(broker_url, *argv)
    assert (official_code, our_code) == (1, 2)  # accord: an unknown name is an input error
    assert "Nobody" in our_out
