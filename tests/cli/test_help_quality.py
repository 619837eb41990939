"""Issue #21: help is plain text, in complete sentences, with an example for every command.

Walks every command and subcommand of ``accord`` (the broker's included), so a new command or
option without help shows up here.
"""

from collections.abc import Iterator

import click
import pytest

from accord.cli.app import cli

_CONTEXT = click.Context(cli)


def _commands(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    if isinstance(command, click.Group):
        for name in command.list_commands(_CONTEXT):
            sub = command.get_command(_CONTEXT, name)
            assert sub is not None, name
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path), command


COMMANDS = dict(_commands(cli))


def test_every_command_is_walked() -> None:
    assert {"verify", "publish", "can-i-deploy", "broker serve", "stub"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_has_a_summary_and_an_example(name: str) -> None:
    command = COMMANDS[name]
    assert (command.help or "").strip(), f"`accord {name}` has no help text"
    text = (command.epilog or "") + (command.help or "")
    assert "Example" in text, f"`accord {name}` shows no example"
    assert "``" not in text and ":func:" not in text, f"`accord {name}` has reST markup"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_option_says_what_it_does_in_a_sentence(name: str) -> None:
    for param in COMMANDS[name].params:
        if not isinstance(param, click.Option) or param.hidden or param.name == "help":
            continue
        help_text = (param.help or "").strip()
        assert help_text, f"`accord {name}` {param.opts[-1]} has no help"
        assert help_text[0].isupper() or help_text[0] in "'\"(`$", (name, param.opts, help_text)
        assert help_text.endswith((".", ")", "]")), (name, param.opts, help_text)
