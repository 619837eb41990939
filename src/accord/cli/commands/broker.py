"""``accord broker serve|migrate|clean``: run and maintain the accord broker itself.

The broker is an optional part of the distribution (``pip install "accord[broker]"``), so it is
imported only when one of these commands runs.
"""

import dataclasses
import importlib
from types import ModuleType

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
@click.option(
    "--no-access-log",
    is_flag=True,
    help="Do not log a line per request (a proxy in front usually logs them already).",
)
def serve(host: str, port: int, database_url: str | None, no_access_log: bool) -> None:
    """Serve the broker until interrupted.

    The database is migrated to the newest schema first.
    """
    _broker_module("accord_broker.serve").serve(
        host, port, database_url, access_log=not no_access_log
    )


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


@broker_group.command(
    epilog="""
\b
Examples:
  accord broker clean --database-url sqlite:///broker.sqlite --dry-run
  accord broker clean --keep '[{"mainBranch": true, "latest": true}, {"deployed": true}]'
  accord broker clean --keep '[{"deployed": true}, {"max_age": 30}]' --limit 5000
"""
)
@click.option("--database-url", help=DATABASE_URL_HELP)
@click.option(
    "--keep",
    metavar="JSON",
    envvar="ACCORD_BROKER_CLEAN_KEEP_VERSION_SELECTORS",
    help="Versions to keep, as a JSON array of selectors like the Pact Broker's "
    "(default: deployed, released, latest overall, branch heads, latest per tag, < 90 days).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Delete at most this many versions.")
@click.option("--dry-run", is_flag=True, help="Report what would be deleted; delete nothing.")
@click.option("-o", "--output", type=click.Choice(["text", "json"]), default="text")
def clean(
    database_url: str | None, keep: str | None, limit: int | None, dry_run: bool, output: str
) -> None:
    """Delete old versions that can-i-deploy no longer needs."""
    url = _database_url(database_url)
    cleanup = _broker_module("accord_broker.domain.cleanup")
    errors = importlib.import_module("accord.errors")
    try:
        selectors = cleanup.DEFAULT_KEEP if keep is None else cleanup.parse_keep_selectors(keep)
    except errors.BrokerInputError as exc:
        raise click.BadParameter(str(exc), param_hint="--keep") from exc
    _broker_module("accord_broker.db.migrate").migrate(url)
    database = _broker_module("accord_broker.db.engine").Database(url)
    try:
        report = database.write(
            lambda session: cleanup.clean(session, selectors, limit=limit, dry_run=dry_run)
        )
    finally:
        database.dispose()
    if output == "json":
        print_json(dataclasses.asdict(report))
        return
    verb = "Would delete" if report.dry_run else "Deleted"
    success(
        f"{verb} {report.deleted_versions} versions and {report.deleted_pact_versions} "
        f"unused pact contents; kept {report.kept_versions} versions"
    )


broker_group.add_command(token_command)

COMMANDS = [broker_group]
