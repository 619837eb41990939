"""``accord broker …``: the commands the broker package contributes, found by entry point.

The broker is an optional part of the distribution (``pip install "accord[broker]"``). It
registers its click group under the ``accord.commands`` entry point group, as pytest plugins
register under ``pytest11``; the CLI adds every group found there and never names a broker
module. Without the broker extra, ``accord broker`` is a stand-in that says how to install it.
"""

from importlib.metadata import EntryPoint, entry_points

import click

from accord.errors import BrokerNotInstalledError

ENTRY_POINT_GROUP = "accord.commands"
INSTALL_HINT = 'pip install "accord[broker]" (and "accord[postgres]" for PostgreSQL)'


def _contributed(entry_point: EntryPoint) -> click.Command:
    """The command an entry point's factory returns, or the stand-in when its package cannot be
    used in this installation (the factory raises ``ImportError`` naming what is missing)."""
    try:
        command = entry_point.load()()
    except ImportError as exc:
        return _not_installed(entry_point.name, f"{exc.name or exc} is not installed")
    if not isinstance(command, click.Command):
        message = f"entry point {entry_point.value} did not return a click command"
        raise TypeError(message)
    return command


def _not_installed(name: str, why: str) -> click.Command:
    """A command that explains, for ``--help`` and when run, how to install the broker."""

    @click.command(
        name,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        help=f"Run and maintain the accord broker (not installed: {why}). Install it with "
        f"{INSTALL_HINT}.",
    )
    def stand_in() -> None:
        raise BrokerNotInstalledError(f"the accord broker is not installed ({why}): {INSTALL_HINT}")

    return stand_in


def _commands() -> list[click.Command]:
    found = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    commands = [_contributed(ep) for ep in found.values()]
    if "broker" not in found:
        commands.append(_not_installed("broker", "this installation has no broker package"))
    return commands


COMMANDS = _commands()
