"""``accord --version`` and ``accord --help`` import only what they need (issue #19 §3).

Start-up time is measured by ``benchmarks/startup.py`` (``make bench``), never asserted here:
these tests pin the cause instead, the modules a start-up imports, and keep the lazy registry's
summaries equal to the commands' real help so ``accord --help`` cannot drift from them.
"""

import importlib
import importlib.metadata
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from cli_support import accounts_provider, make_pact, write_pact
from click.testing import CliRunner

import accord
import accord.cli.commands
from accord.cli import cli
from accord.cli.app import (
    CONTRIBUTED_MODULE,
    EXAMPLES,
    REGISTRY,
    AccordGroup,
    LazyCommands,
)
from accord.testing import serve_app

#: Heavy modules a start-up must not import: the engine, the HTTP client, the rich renderer and
#: the broker's web stack.
HEAVY = (
    "accord.verifier",
    "accord.matching",
    "accord.broker_client",
    "rich",
    "requests",
    "fastapi",
    "sqlalchemy",
)


def imported_modules(code: str) -> set[str]:
    """Every module ``python -X importtime -c code`` reports importing, in a fresh process."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in completed.stderr.splitlines() if line.startswith("import time:")]
    assert lines, completed.stderr
    return {line.rsplit("|", 1)[1].strip() for line in lines}


def heavy_among(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def modules_after(*args: str) -> set[str]:
    """``sys.modules`` after running ``accord *args`` as the console script does, in a fresh
    process (``-X importtime`` does not log modules imported by ``importlib.import_module``)."""
    code = (
        "import json, sys\n"
        "from accord.cli import main\n"
        f"sys.argv = ['accord', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(json.loads(completed.stderr.splitlines()[-1]))


def test_importing_the_cli_imports_no_engine_rich_or_requests() -> None:
    modules = imported_modules("import accord.cli")

    assert "accord.cli.app" in modules  # the list was parsed
    assert heavy_among(modules) == []
    assert not [m for m in modules if m.startswith("accord.cli.commands.")]


def test_accord_version_imports_no_command_and_no_package_metadata() -> None:
    modules = modules_after("--version")

    assert heavy_among(modules) == []
    assert "importlib.metadata" not in modules
    assert "accord_broker" not in modules


def test_accord_help_imports_no_command_module_of_the_registry() -> None:
    modules = modules_after("--help")

    assert heavy_among(modules) == []
    registry_modules = {entry.module for entry in REGISTRY}
    assert registry_modules.isdisjoint(modules)
    assert "accord_broker.cli" in modules  # the broker's group comes from its entry point


def test_a_command_imports_its_own_module_only() -> None:
    modules = modules_after("generate-uuid")

    assert "accord.cli.commands.uuids" in modules
    assert heavy_among(modules) == []
    assert "accord_broker" not in modules


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.name)
def test_each_registry_summary_is_the_commands_first_help_line(entry: object) -> None:
    name = getattr(entry, "name", "")
    command = cli.commands[name]

    assert command.name == name
    assert getattr(entry, "summary", None) == command.get_short_help_str(limit=10_000)


def test_the_registry_names_every_command_of_every_command_module() -> None:
    package = accord.cli.commands
    modules = {
        f"{package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    } - {CONTRIBUTED_MODULE}
    defined = {
        (module, command.name)
        for module in modules
        for command in importlib.import_module(module).COMMANDS
    }

    assert {(entry.module, entry.name) for entry in REGISTRY} == defined


def fresh_group() -> click.Group:
    """A group like ``accord``'s with nothing imported yet (``cli`` itself is shared)."""
    return AccordGroup(
        "accord",
        commands=LazyCommands(REGISTRY, CONTRIBUTED_MODULE),
        epilog=EXAMPLES,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )


def test_the_lazy_help_page_reads_as_if_every_command_were_imported() -> None:
    group = fresh_group()
    lazy_page = CliRunner().invoke(group, ["--help"]).output

    for _ in group.commands.values():  # import every command
        pass
    eager_page = CliRunner().invoke(group, ["--help"]).output

    assert "publish " in lazy_page
    assert lazy_page == eager_page


def test_a_mistyped_command_gets_a_suggestion_from_the_lazy_names() -> None:
    result = CliRunner().invoke(fresh_group(), ["publsh"])

    assert result.exit_code == 2
    assert "Did you mean 'publish'?" in result.output


def test_every_command_is_reachable_through_the_mapping_click_uses() -> None:
    group = fresh_group()

    assert set(group.commands) >= {entry.name for entry in REGISTRY} | {"broker"}
    assert len(group.commands) == len(set(group.commands))
    assert "verify" in group.commands
    assert "no-such-command" not in group.commands
    assert group.commands.get("no-such-command") is None


def test_the_version_shown_is_the_installed_distributions() -> None:
    result = CliRunner().invoke(cli, ["--version"])

    assert result.exit_code == 0
    assert accord.__version__ == importlib.metadata.version("accord")
    assert result.output.strip() == f"accord, version {accord.__version__}"


def test_verifying_a_file_against_a_plain_http_provider_imports_neither_requests_nor_rich(
    tmp_path: Path,
) -> None:
    """``requests`` (~100 ms) and rich (~40 ms) are start-up a file + ``http://`` run to a pipe
    never uses: it sends nothing with requests and prints plain lines.

    The verify command is imported with an ``import`` statement so ``-X importtime`` logs it
    and everything it pulls in (the lazy group's ``importlib.import_module`` is not logged).
    """
    document = make_pact()
    document["interactions"][0]["providerStates"] = [{"name": "an account", "params": {"id": 1}}]
    pact = write_pact(tmp_path, document)
    app = accounts_provider()
    calls: list[dict[str, Any]] = []

    @app.post("/_pact/state")
    def state(change: dict[str, Any]) -> dict[str, Any]:
        calls.append(change)
        return {}

    with serve_app(app) as provider:
        argv = [
            "accord", "verify", "-f", str(pact), "--provider-base-url", provider.url,
            "--state-change-url", f"{provider.url}/_pact/state",
        ]  # fmt: skip
        code = (
            "import sys\n"
            "import accord.cli.commands.verify\n"
            "from accord.cli import main\n"
            f"sys.argv = {argv!r}\n"
            "main()\n"
        )
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PACT_BROKER_BASE_URL": ""},
        )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert [(call["state"], call["action"]) for call in calls] == [("an account", "setup")]
    lines = [line for line in completed.stderr.splitlines() if line.startswith("import time:")]
    modules = {line.rsplit("|", 1)[1].strip() for line in lines}
    assert "accord.verifier.transport" in modules  # the verifier's imports were logged
    assert [m for m in modules if m.split(".")[0] in ("requests", "rich")] == []


#: What a file + ``http://`` verification of a pact with no regex, date or XML rule never uses:
#: the broker client (no broker named), publication and the ``--json``/``--junit`` writers, the
#: regex engine (re2), the date engine, the XML and multipart body comparers, the generators.
NOT_ON_THE_PLAIN_FILE_PATH = (
    "accord.broker_client",
    "accord.cli.connection",
    "accord.verifier.publishing",
    "accord.verifier.reports.json_report",
    "accord.verifier.reports.junit",
    "re2",
    "accord.pact.regex",
    "accord.matching.datetimes",
    "accord.matching.xml_body",
    "accord.matching.multipart",
    "accord.matching.generators",
    "xml",
)


def verify_run_modules(pact: Path, provider_url: str) -> set[str]:
    """``sys.modules`` after ``accord verify -f PACT --provider-base-url URL`` exited 0, in a
    fresh process with no broker in the environment (``sys.modules`` also holds the modules
    the lazy group and lazy names load through ``importlib``)."""
    argv = ["accord", "verify", "-f", str(pact), "--provider-base-url", provider_url]
    code = (
        "import json, sys\n"
        "from accord.cli import main\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACT_BROKER_")}
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return set(json.loads(completed.stderr.splitlines()[-1]))


def loaded_among(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in modules))


def test_verifying_a_pact_without_regex_date_or_xml_rules_loads_none_of_their_engines(
    tmp_path: Path,
) -> None:
    pact = write_pact(tmp_path, make_pact())

    with serve_app(accounts_provider()) as provider:
        modules = verify_run_modules(pact, provider.url)

    assert "accord.matching.json_body" in modules  # the body was matched
    assert loaded_among(modules, NOT_ON_THE_PLAIN_FILE_PATH) == []


def test_a_regex_and_a_date_rule_load_their_engines_on_first_use(tmp_path: Path) -> None:
    """The other side of the test above: a pact whose rules need them still loads them."""
    document = make_pact()
    response = document["interactions"][0]["response"]
    response["body"]["content"]["since"] = "2024-02-29"
    response["matchingRules"] = {
        "body": {
            "$.name": {"combine": "AND", "matchers": [{"match": "regex", "regex": "^[A-Z]\\w+$"}]},
            "$.since": {"combine": "AND", "matchers": [{"match": "date", "format": "yyyy-MM-dd"}]},
        }
    }
    pact = write_pact(tmp_path, document)
    app = accounts_provider()
    app.router.routes.clear()

    @app.get("/accounts/{account_id}")
    def account(account_id: int) -> dict[str, Any]:
        return {"id": account_id, "name": "Bob", "since": "2023-12-31"}

    with serve_app(app) as provider:
        modules = verify_run_modules(pact, provider.url)

    assert {"re2", "accord.pact.regex", "accord.matching.datetimes"} <= modules
    assert loaded_among(modules, ("accord.broker_client", "xml")) == []


def test_the_verify_commands_retry_default_is_the_broker_clients() -> None:
    """``accord verify`` reads the default from a module without imports; the broker client's
    settings are where the value is defined for every other command."""
    from accord.broker_client.settings import DEFAULT_RETRIES
    from accord.cli.broker_retries import DEFAULT_RETRIES as VERIFY_DEFAULT

    assert VERIFY_DEFAULT == DEFAULT_RETRIES
    retries = next(p for p in cli.commands["verify"].params if p.name == "retries")
    assert retries.default == DEFAULT_RETRIES
