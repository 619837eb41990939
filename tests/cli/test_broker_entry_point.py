"""``accord broker`` comes from the broker package's ``accord.commands`` entry point."""

from importlib.metadata import EntryPoint
from pathlib import Path

import click
import pytest
from accord_broker.cli import broker_group, command
from click.testing import CliRunner

import accord.cli.commands.broker as broker_commands


def _fake_entry_points(monkeypatch: pytest.MonkeyPatch, entry: EntryPoint | None) -> None:
    found = [] if entry is None else [entry]
    monkeypatch.setattr(broker_commands, "entry_points", lambda group: found)


def _cli_with(commands: list[click.Command]) -> click.Group:
    group = click.Group("accord")
    for each in commands:
        group.add_command(each)
    return group


def test_the_installed_broker_contributes_its_group_through_the_entry_point() -> None:
    names = {ep.value for ep in broker_commands.entry_points(group="accord.commands")}
    assert names == {"accord_broker.cli:command"}
    assert command() is broker_group
    assert set(broker_group.commands) == {"serve", "migrate", "clean", "token"}


def test_without_the_broker_extra_help_and_commands_say_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def factory() -> click.Command:
        raise ModuleNotFoundError("No module named 'fastapi'", name="fastapi")

    entry = EntryPoint("broker", "accord_broker.cli:command", "accord.commands")
    monkeypatch.setattr(EntryPoint, "load", lambda self: factory)
    _fake_entry_points(monkeypatch, entry)
    cli = _cli_with(broker_commands._commands())

    shown = CliRunner().invoke(cli, ["broker", "--help"])
    assert shown.exit_code == 0
    text = " ".join(shown.output.split())
    assert "fastapi is not installed" in text
    assert 'pip install "accord[broker]"' in text

    ran = CliRunner().invoke(cli, ["broker", "serve", "--port", "0"])
    assert ran.exit_code != 0
    assert 'pip install "accord[broker]"' in str(ran.exception)


def test_an_installation_without_the_broker_package_still_has_an_explaining_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_entry_points(monkeypatch, None)
    cli = _cli_with(broker_commands._commands())
    shown = CliRunner().invoke(cli, ["broker", "--help"])
    assert "no broker package" in " ".join(shown.output.split())


def test_the_client_side_names_no_broker_module() -> None:
    source = Path(broker_commands.__file__).read_text(encoding="utf-8")
    assert "import_module" not in source
    assert "accord_broker" not in source.replace('"accord_broker.cli:command"', "")
