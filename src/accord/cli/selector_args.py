"""Read can-i-deploy's version selectors in command-line order, as the official CLI does.

``-a Web -e 1.0 -a Accounts --latest main`` means two selectors: each ``--version``,
``--latest``, ``--tag``, ``--branch`` or ``--main-branch`` belongs to the ``--pacticipant`` (or
``--ignore``) before it. Click collects options by name and loses that order, so the raw
arguments are walked here; click still validates them and renders ``--help``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import click

from accord.broker_client.matrix import VersionSelector

PACTICIPANT = frozenset({"-a", "--pacticipant"})
IGNORE = frozenset({"--ignore"})
VERSION = frozenset({"-e", "--version"})
LATEST = frozenset({"-l", "--latest"})
TAG = frozenset({"--tag"})
BRANCH = frozenset({"--branch"})
MAIN_BRANCH = frozenset({"--main-branch"})


@dataclass
class SelectorArgs:
    selectors: list[VersionSelector] = field(default_factory=list)
    ignore: list[VersionSelector] = field(default_factory=list)


def _split(token: str) -> tuple[str, str | None]:
    """``--name=value`` as ``("--name", "value")``; ``-avalue`` as ``("-a", "value")``."""
    if token.startswith("--") and "=" in token:
        name, _, value = token.partition("=")
        return name, value
    if not token.startswith("--") and len(token) > 2 and token.startswith("-"):
        return token[:2], token[2:]
    return token, None


def _update_last(target: list[VersionSelector], flag: str, **changes: object) -> None:
    if not target:
        raise click.UsageError(f"{flag} must come after the --pacticipant it belongs to")
    target[-1] = replace(target[-1], **changes)  # type: ignore[arg-type]


def _take_value(args: Sequence[str], index: int, name: str, inline: str | None) -> tuple[str, int]:
    """The option's value (inline or the next argument) and the index after it."""
    if inline is not None:
        return inline, index
    if index >= len(args):
        raise click.UsageError(f"{name} needs a value")
    return args[index], index + 1


def parse_selector_args(args: Sequence[str], valued_options: Iterable[str]) -> SelectorArgs:
    """Group the selector options of ``args`` by the ``--pacticipant``/``--ignore`` before them.

    ``valued_options`` are the other options that take a value (their value is skipped).
    """
    takes_value = frozenset(valued_options)
    parsed = SelectorArgs()
    current: list[VersionSelector] = []
    index = 0
    while index < len(args):
        name, inline = _split(args[index])
        index += 1
        if name in PACTICIPANT or name in IGNORE:
            current = parsed.selectors if name in PACTICIPANT else parsed.ignore
            value, index = _take_value(args, index, name, inline)
            current.append(VersionSelector(pacticipant=value))
        elif name in VERSION:
            value, index = _take_value(args, index, name, inline)
            _update_last(current, name, version=value)
        elif name in LATEST:
            tag = inline
            if tag is None and index < len(args) and not args[index].startswith("-"):
                tag, index = args[index], index + 1
            _update_last(current, name, latest=True, tag=tag or None)
        elif name in TAG or name in BRANCH:
            value, index = _take_value(args, index, name, inline)
            _update_last(current, name, **{"tag" if name in TAG else "branch": value})
        elif name in MAIN_BRANCH:
            _update_last(current, name, main_branch=True)
        elif name in takes_value and inline is None:
            index += 1
    return parsed


class SelectorCommand(click.Command):
    """A command that keeps its raw arguments (``ctx.meta["accord.args"]``) for the walker."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["accord.args"] = list(args)
        return super().parse_args(ctx, args)

    def valued_option_names(self) -> set[str]:
        names: set[str] = set()
        for param in self.params:
            if isinstance(param, click.Option) and not param.is_flag:
                names.update(param.opts)
                names.update(param.secondary_opts)
        return names
