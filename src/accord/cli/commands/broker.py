"""``accord broker serve|migrate|clean``: run and maintain the accord broker itself.

The broker is an optional part of the distribution (``pip install "accord[broker]"``), so it is
imported only when one of these commands runs.
"""

import importlib
import inspect
import json
from types import ModuleType
from typing import Any

import click

from accord.cli.broker_token import token_command
from accord.cli.console import print_json, success
from accord.errors import BrokerNotInstalledError

DATABASE_URL_HELP = (
    "SQLAlchemy database URL, e.g. sqlite:///broker.sqlite or "
    "postgresql+psycopg://user:pass@host/db [env: ACCORD_BROKER_DATABASE_URL]."
)


def _broker_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if exc.name and not exc.name.startswith("accord_broker"):
            raise BrokerNotInstalledError(
                f"the broker needs extra packages ({exc.name} is missing): "
                'pip install "accord[broker]" (and "accord[postgres]" for PostgreSQL)'
            ) from exc
        if exc.name == "accord_broker":
            raise BrokerNotInstalledError(
                'this installation has no broker: pip install "accord[broker]"'
            ) from exc
        raise BrokerNotInstalledError(
            f"this broker version has no {name} module; upgrade accord"
        ) from exc


def _database_url(given: str | None) -> str:
    if given:
        return given
    settings = _broker_module("accord_broker.settings").Settings()
    return str(settings.database_url)


@click.group(
    "broker",
    epilog="""
\b
Examples:
  accord broker migrate --database-url postgresql+psycopg://broker@db/broker
  accord broker serve --host 0.0.0.0 --port 9292 --database-url sqlite:///broker.sqlite
  accord broker clean --database-url sqlite:///broker.sqlite
""",
)
def broker_group() -> None:
    """Run and maintain the accord broker.

    A Pact Broker-compatible service over SQLite or PostgreSQL.
    """


@broker_group.command(
    epilog="""
\b
Examples:
  accord broker serve --port 9292 --database-url sqlite:///broker.sqlite
  ACCORD_BROKER_BASIC_AUTH_USERNAME=ci ACCORD_BROKER_BASIC_AUTH_PASSWORD=s3cret accord broker serve
"""
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=9292, show_default=True, type=click.IntRange(0, 65535))
@click.option("--database-url", help=DATABASE_URL_HELP)
def serve(host: str, port: int, database_url: str | None) -> None:
    """Serve the broker until interrupted.

    The database is migrated to the newest schema first.
    """
    _broker_module("accord_broker.serve").serve(host, port, database_url)


@broker_group.command(
    epilog="""
\b
Examples:
  accord broker migrate --database-url sqlite:///broker.sqlite
"""
)
@click.option("--database-url", help=DATABASE_URL_HELP)
def migrate(database_url: str | None) -> None:
    """Migrate the broker database to the newest schema."""
    url = _database_url(database_url)
    _broker_module("accord_broker.db.migrate").migrate(url)
    success("The broker database is at the newest schema")


def _keep_selectors(keep: str | None) -> list[dict[str, Any]] | None:
    if keep is None:
        return None
    try:
        value = json.loads(keep)
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--keep") from exc
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise click.BadParameter(
            'expected a JSON array of selectors, e.g. \'[{"branch": true, "latest": true}]\'',
            param_hint="--keep",
        )
    return value


@broker_group.command(
    epilog="""
\b
Examples:
  accord broker clean --database-url sqlite:///broker.sqlite
  accord broker clean --keep '[{"mainBranch": true}, {"deployed": true}, {"max_age": 30}]'
"""
)
@click.option("--database-url", help=DATABASE_URL_HELP)
@click.option(
    "--keep",
    metavar="JSON",
    envvar="ACCORD_BROKER_CLEAN_KEEP_VERSION_SELECTORS",
    help="Versions to keep, as a JSON array of selectors (the broker's defaults otherwise).",
)
@click.option("-o", "--output", type=click.Choice(["text", "json"]), default="text")
def clean(database_url: str | None, keep: str | None, output: str) -> None:
    """Delete old data the keep selectors do not protect."""
    url = _database_url(database_url)
    selectors = _keep_selectors(keep)
    cleanup = _broker_module("accord_broker.domain.cleanup")
    engine = _broker_module("accord_broker.db.engine")
    _broker_module("accord_broker.db.migrate").migrate(url)
    database = engine.Database(url)
    try:
        clean_function = cleanup.clean
        kwargs: dict[str, Any] = {}
        if selectors is not None:
            kwargs["keep"] = selectors
        accepts = inspect.signature(clean_function).parameters
        if selectors is not None and "keep" not in accepts:
            raise click.UsageError("this broker's clean does not take --keep")
        outcome = database.write(lambda session: clean_function(session, **kwargs))
    finally:
        database.engine.dispose()
    if output == "json":
        print_json(_as_json(outcome))
    else:
        success(f"Cleaned the broker database: {_describe(outcome)}")


def _as_json(outcome: Any) -> Any:
    if outcome is None or isinstance(outcome, (dict, list, int, str)):
        return outcome
    if hasattr(outcome, "__dataclass_fields__"):
        import dataclasses

        return dataclasses.asdict(outcome)
    return str(outcome)


def _describe(outcome: Any) -> str:
    value = _as_json(outcome)
    if isinstance(value, dict):
        return ", ".join(f"{key} {count}" for key, count in value.items()) or "nothing to delete"
    return "done" if value is None else str(value)


broker_group.add_command(token_command)

COMMANDS = [broker_group]
