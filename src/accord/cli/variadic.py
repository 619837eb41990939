"""Options that take several values after one flag, as the official CLI's ``--tag a b`` and
``-H 'A: 1' 'B: 2'`` do.

Click gives an option one value per occurrence, so before parsing, ``--tag a b`` is rewritten
as ``--tag a --tag b``: every following argument that does not start with ``-`` belongs to the
flag (greedy, like the official CLI, so positional arguments go before such a flag).
"""

from collections.abc import Collection, Sequence

import click


def spread_variadic(args: Sequence[str], flags: Collection[str]) -> list[str]:
    """``args`` with each run of values after a flag in ``flags`` split into repeated flags."""
    rewritten: list[str] = []
    index = 0
    while index < len(args):
        token = args[index]
        rewritten.append(token)
        index += 1
        if token == "--":
            rewritten.extend(args[index:])
            break
        if token not in flags:
            continue
        first = True
        while index < len(args) and not args[index].startswith("-"):
            if not first:
                rewritten.append(token)
            rewritten.append(args[index])
            first = False
            index += 1
    return rewritten


class VariadicCommand(click.Command):
    """A command whose ``variadic_flags`` accept several values after one flag."""

    variadic_flags: frozenset[str] = frozenset()

    def __init__(self, *args: object, variadic_flags: Collection[str] = (), **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.variadic_flags = frozenset(variadic_flags)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, spread_variadic(args, self.variadic_flags))
