"""The ``accord`` command group: where every command is registered and errors become exit codes.

Exit codes CI can trust: 0 ok, 1 a check failed or the broker refused, 2 a usage or
configuration error (click's own usage errors are 2 as well), 3 no pacts to verify.

Start-up is kept small on purpose: ``accord --version`` and ``accord --help`` import click and
this module only. Each command's module (and with it requests, rich, the verifier and the
matching engine) is imported when that command runs or its own ``--help`` is asked, so the
registry below keeps each command's name, module and one-line summary (a test checks that every
summary still equals the command's real first help line). Commands contributed by other
packages (the broker) come from the ``accord.commands`` entry point group and are looked up only
when a name is not in the registry or the whole list is needed.
"""

import importlib
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from typing import NamedTuple

import click

from accord import __version__
from accord.errors import AccordError

EXAMPLES = """
\b
Examples:
  accord publish pacts/ --consumer-app-version $GIT_SHA --branch main -b http://broker:9292
  accord verify --broker-url http://broker:9292 --provider-name Accounts --port 8000 \\
      --publish --provider-version $GIT_SHA --provider-branch main
  accord can-i-deploy --pacticipant Web --version $GIT_SHA --to-environment production
  accord record-deployment --pacticipant Web --version $GIT_SHA --environment production
  accord broker serve --port 9292 --database-url sqlite:///broker.sqlite
  accord openapi check openapi.yaml pacts/

The broker options of each command also come from PACT_BROKER_BASE_URL, PACT_BROKER_USERNAME,
PACT_BROKER_PASSWORD and PACT_BROKER_TOKEN, as with the official `pact broker` CLI.
"""

#: The module whose ``COMMANDS`` are the ones other packages contribute by entry point.
CONTRIBUTED_MODULE = "accord.cli.commands.broker"


class LazyCommand(NamedTuple):
    """Where a command lives and what ``accord --help`` says of it, known without importing it.

    ``module`` is imported only when the command is needed; it names the command in its
    ``COMMANDS`` list. ``summary`` is the command's first help line, shown in ``accord --help``.
    (A named tuple rather than a dataclass: ``dataclasses`` alone costs start-up time.)
    """

    name: str
    module: str
    summary: str


def _family(module: str, *commands: tuple[str, str]) -> tuple[LazyCommand, ...]:
    """The commands one module of ``accord.cli.commands`` defines, as ``(name, summary)``."""
    return tuple(
        LazyCommand(name, f"accord.cli.commands.{module}", text) for name, text in commands
    )


REGISTRY: tuple[LazyCommand, ...] = (
    *_family("publish", ("publish", "Publish pact files for a consumer version.")),
    *_family("verify", ("verify", "Verify pacts against a provider.")),
    *_family(
        "can_i_deploy",
        ("can-i-deploy", "Check if versions can be deployed."),
        ("can-i-merge", "Check a version against main branches."),
    ),
    *_family(
        "deployments",
        ("record-deployment", "Record a deployment to an environment."),
        ("record-undeployment", "Record an undeployment from an environment."),
        ("record-release", "Record a release to an environment."),
        ("record-support-ended", "Record the end of support for a release."),
    ),
    *_family(
        "environments",
        ("create-environment", "Create an environment."),
        ("update-environment", "Update an environment."),
        ("describe-environment", "Show one environment."),
        ("list-environments", "List the environments."),
        ("delete-environment", "Delete an environment."),
    ),
    *_family(
        "pacticipants",
        ("create-or-update-pacticipant", "Create or update a pacticipant."),
        ("describe-pacticipant", "Show one pacticipant."),
        ("list-pacticipants", "List the pacticipants."),
    ),
    *_family(
        "versions",
        ("create-or-update-version", "Create or update a pacticipant version."),
        ("describe-version", "Describe a pacticipant version."),
        ("create-version-tag", "Add tags to a pacticipant version."),
        ("delete-branch", "Delete a pacticipant branch."),
    ),
    *_family("tags", ("delete-version-tag", "Delete a tag from a pacticipant version.")),
    *_family(
        "pacts",
        ("list-latest-pact-versions", "List the latest pact for each integration."),
        ("pact", "Work with pact files offline: compare two versions of a pact."),
    ),
    *_family("provider_pacts", ("get-pacts", "Get a provider's pacts by consumer branch.")),
    *_family("provider_states", ("provider-states", "Manage provider states.")),
    *_family(
        "openapi",
        (
            "openapi",
            "Check consumer pacts against a provider's OpenAPI document, or publish it.",
        ),
    ),
    *_family("stub", ("stub", "Serve pacts as an HTTP stub of their provider.")),
    *_family(
        "webhooks",
        ("create-webhook", "Create a webhook."),
        ("create-or-update-webhook", "Create or replace a webhook by uuid."),
        ("test-webhook", "Run a webhook now."),
        ("delete-webhook", "Delete a webhook."),
    ),
    *_family("uuids", ("generate-uuid", "Print a UUID for create-or-update-webhook.")),
)


def _commands_of(module: str) -> Sequence[click.Command]:
    """The ``COMMANDS`` a command module defines (importing it now)."""
    commands: Sequence[click.Command] = importlib.import_module(module).COMMANDS
    return commands


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name, each imported from its module on first lookup.

    Click accepts any mutable mapping as a group's ``commands``, so everything that asks click
    for a command (``get_command``, ``list_commands``, "did you mean" suggestions, mkdocs-click,
    ``cli.commands["verify"]``) gets the real one. Names come from the registry without an
    import; the commands other packages contribute by entry point are loaded the first time a
    name outside the registry is asked for or the whole list is needed.
    """

    def __init__(self, registry: Iterable[LazyCommand], contributed_module: str) -> None:
        self._registry = {entry.name: entry for entry in registry}
        self._contributed_module = contributed_module
        self._loaded: dict[str, click.Command] = {}
        self._contributed: dict[str, click.Command] | None = None

    def summary(self, name: str) -> str | None:
        """The registry's one-line summary of a command not imported yet, else ``None``."""
        entry = self._registry.get(name)
        return None if entry is None or name in self._loaded else entry.summary

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            entry = self._registry.get(name)
            if entry is None:
                return self._contributed_commands()[name]
            self._loaded[name] = _load(entry)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._registry.pop(name, None)
        self._loaded.pop(name, None)
        self._contributed_commands().pop(name, None)

    def __contains__(self, name: object) -> bool:
        if name in self._registry or name in self._loaded:
            return True
        return name in self._contributed_commands()

    def __iter__(self) -> Iterator[str]:
        return iter({**self._registry, **self._contributed_commands(), **self._loaded})

    def __len__(self) -> int:
        return len({**self._registry, **self._contributed_commands(), **self._loaded})

    def _contributed_commands(self) -> dict[str, click.Command]:
        """Commands other packages contribute (entry points), loaded once on first need."""
        if self._contributed is None:
            self._contributed = {
                command.name: command
                for command in _commands_of(self._contributed_module)
                if command.name is not None
            }
        return self._contributed


def _load(entry: LazyCommand) -> click.Command:
    """The command ``entry`` names, from its module's ``COMMANDS``."""
    for command in _commands_of(entry.module):
        if command.name == entry.name:
            return command
    message = f"{entry.module} defines no command {entry.name!r}: fix accord.cli.app.REGISTRY"
    raise LookupError(message)


class LazyGroup(click.Group):
    """A group whose ``accord --help`` page is written without importing its commands.

    With :class:`LazyCommands` as ``commands``, click imports a command's module only when it
    runs or its own ``--help`` is asked; this class adds the ``Commands:`` section from the
    registry's summaries, shortened exactly as click shortens a real command's help, so the
    page reads the same as if every command had been imported.
    """

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        listed: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            summary = (
                self.commands.summary(name) if isinstance(self.commands, LazyCommands) else None
            )
            command = self.get_command(ctx, name) if summary is None else None
            if summary is not None:
                listed.append((name, click.Command(name, help=summary)))
            elif command is not None and not command.hidden:
                listed.append((name, command))
        if not listed:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in listed)
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in listed])


class AccordGroup(LazyGroup):
    """A group that reports accord's own errors as one clear line and their exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AccordError as exc:
            from accord.cli.console import stderr_console

            stderr_console().print(f"❌ {exc}", style="red", markup=False)
            ctx.exit(exc.exit_code)


@click.group(
    cls=AccordGroup,
    commands=LazyCommands(REGISTRY, CONTRIBUTED_MODULE),
    epilog=EXAMPLES,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
# the version from accord itself, not from importlib.metadata (slow to import); a test checks
# that both agree
@click.version_option(version=__version__, prog_name="accord")
def cli() -> None:
    """Consumer-driven contract testing: publish pacts, verify providers, ask can-i-deploy."""


def main() -> None:
    """Entry point of the ``accord`` console script."""
    cli(prog_name="accord")
