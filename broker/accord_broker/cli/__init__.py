"""``accord broker serve|migrate|clean|token``: the broker's commands, contributed to ``accord``.

The ``accord`` CLI finds this group through the ``accord.commands`` entry point (pyproject.toml),
as pytest finds its plugins, so the client side never names a broker module. Importing this
module is cheap (click only): the broker's web and database modules are imported when a command
runs, and ``REQUIRED`` lists what must be installed for the group to be offered at all.
"""

import dataclasses
import importlib.util

import click

from accord.cli.console import print_json, success
from accord_broker.cli.token import token_command

REQUIRED = ("fastapi", "sqlalchemy", "alembic", "uvicorn", "pydantic_settings", "jinja2")
"""The broker extra's packages; without one of them ``accord broker`` says how to install it."""


def missing_requirement() -> str | None:
    """The first package of the broker extra that is not installed (found without importing)."""
    for name in REQUIRED:
        if importlib.util.find_spec(name) is None:
            return name
    return None


DATABASE_URL_HELP = (
    "SQLAlchemy database URL, e.g. sqlite:///broker.sqlite or "
    "postgresql+psycopg://user:pass@host/db [env: ACCORD_BROKER_DATABASE_URL]."
)


def _database_url(given: str | None) -> str:
    """The URL given (or from ``ACCORD_BROKER_DATABASE_URL``), refused early if unusable."""
    from accord_broker.db.urls import check_database_url
    from accord_broker.settings import Settings

    url = given or str(Settings().database_url)
    check_database_url(url)
    return url


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
@click.option(
    "--port",
    default=9292,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; a busy port is an error before the broker starts.",
)
@click.option("--database-url", help=DATABASE_URL_HELP)
@click.option(
    "--no-access-log",
    is_flag=True,
    help="Do not log a line per request (a proxy in front usually logs them already).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    envvar="ACCORD_BROKER_WORKERS",
    type=click.IntRange(1, 64),
    help="Worker processes sharing the port (about one per core; the webhook worker and "
    "migrations still run once) [env: ACCORD_BROKER_WORKERS].",
)
def serve(
    host: str, port: int, database_url: str | None, no_access_log: bool, workers: int
) -> None:
    """Serve the broker until interrupted (on SIGTERM: finish requests in flight, exit 0).

    The database is migrated to the newest schema first.
    """
    # the package's public name, not the submodule: importing ``accord_broker.serve`` directly
    # would rebind the package attribute ``serve`` to the module (see accord_broker/__init__.py)
    from accord_broker import serve as run

    run(host, port, database_url, access_log=not no_access_log, workers=workers)


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
    from sqlalchemy.exc import OperationalError

    from accord_broker.db.migrate import migrate as run
    from accord_broker.db.urls import unreachable_database

    url = _database_url(database_url)
    try:
        run(url)
    except OperationalError as exc:
        raise unreachable_database(url, exc) from exc
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
@click.option(
    "-o",
    "--output",
    type=click.Choice(["text", "json"]),
    default="text",
    help="Print text for people or JSON for scripts.",
)
def clean(
    database_url: str | None, keep: str | None, limit: int | None, dry_run: bool, output: str
) -> None:
    """Delete old versions that can-i-deploy no longer needs."""
    from accord_broker.db.engine import Database
    from accord_broker.db.migrate import migrate as run_migrations
    from accord_broker.domain.operations import cleanup
    from accord_broker.errors import BrokerInputError

    url = _database_url(database_url)
    try:
        selectors = cleanup.DEFAULT_KEEP if keep is None else cleanup.parse_keep_selectors(keep)
    except BrokerInputError as exc:
        raise click.BadParameter(str(exc), param_hint="--keep") from exc
    run_migrations(url)
    database = Database(url)
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


def command() -> click.Group:
    """The ``broker`` group, for the ``accord.commands`` entry point.

    Raises ``ModuleNotFoundError`` naming the first missing package of the broker extra, so
    the ``accord`` CLI can say how to install it instead of offering commands that cannot run.
    """
    missing = missing_requirement()
    if missing is not None:
        raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)
    return broker_group
