"""``accord broker token create|list|revoke``: API tokens for bearer authentication.

Tokens are managed next to the database, like ``accord broker migrate``: whoever can reach the
database is the broker's administrator, and no HTTP endpoint can mint credentials.
"""

from typing import TYPE_CHECKING

import click

from accord.cli.console import print_json, success

if TYPE_CHECKING:
    from accord_broker.db.engine import Database

DATABASE_URL_HELP = "SQLAlchemy database URL of the broker [env: ACCORD_BROKER_DATABASE_URL]."


def _database(database_url: str | None) -> "Database":
    """The broker database at ``database_url`` (or ``ACCORD_BROKER_DATABASE_URL``), migrated."""
    from accord_broker.db.engine import Database
    from accord_broker.db.migrate import migrate
    from accord_broker.settings import Settings

    url = database_url or str(Settings().database_url)
    migrate(url)
    return Database(url)


@click.group(
    "token",
    epilog="""
\b
Examples:
  accord broker token create --name ci-verifier --scope read
  accord broker token create --name ci-publisher --scope write --output json
  accord broker token list
  accord broker token revoke 3f9c2a1b7d4e5f60
""",
)
def token_command() -> None:
    """Create, list and revoke API tokens.

    Clients send a token in the header "Authorization: Bearer TOKEN" (PACT_BROKER_TOKEN, or
    --broker-token).
    """


@token_command.command(
    "create",
    epilog="""
\b
Example:
  accord broker token create --name ci-verifier --scope read --database-url sqlite:///broker.sqlite
""",
)
@click.option("--name", required=True, help="What the token is for, e.g. ci-verifier.")
@click.option(
    "--scope",
    type=click.Choice(["read", "write"]),
    default="read",
    show_default=True,
    help="What the token may do. read: GET requests and pacts for verification; write: everything.",
)
@click.option("--database-url", help=DATABASE_URL_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Choice(["text", "json"]),
    default="text",
    help="Print text for people or JSON for scripts.",
)
def create(name: str, scope: str, database_url: str | None, output: str) -> None:
    """Create a token and print it. It is shown only this once: store it as a CI secret."""
    from accord_broker.domain.operations import tokens

    database = _database(database_url)
    try:
        issued = database.write(lambda session: tokens.create_token(session, name, scope))
    finally:
        database.dispose()
    if output == "json":
        print_json(
            {"token": issued.secret_token, "key": issued.record.key, "name": name, "scope": scope}
        )
        return
    success(f"Created {scope} token '{name}' (key {issued.record.key}); it is shown only once:")
    click.echo(issued.secret_token)


@token_command.command(
    "list",
    epilog="""
\b
Example:
  accord broker token list --database-url sqlite:///broker.sqlite
""",
)
@click.option("--database-url", help=DATABASE_URL_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Choice(["text", "json"]),
    default="text",
    help="Print text for people or JSON for scripts.",
)
def list_(database_url: str | None, output: str) -> None:
    """List the tokens: their keys, names and scopes, never the secrets."""
    from accord_broker.domain.operations import tokens

    database = _database(database_url)
    try:
        with database.read_session() as session:
            rows = [
                {
                    "key": t.key,
                    "name": t.name,
                    "scope": t.scope,
                    "createdAt": t.created_at.isoformat(),
                    "revoked": t.revoked_at is not None,
                }
                for t in tokens.list_tokens(session)
            ]
    finally:
        database.dispose()
    if output == "json":
        print_json(rows)
        return
    if not rows:
        click.echo("No API tokens.")
    for row in rows:
        state = "revoked" if row["revoked"] else "active"
        click.echo(f"{row['key']}  {row['scope']:<5}  {state:<7}  {row['name']}")


@token_command.command(
    "revoke",
    epilog="""
\b
Example:
  accord broker token revoke 3f9c2a1b7d4e5f60 --database-url sqlite:///broker.sqlite
""",
)
@click.argument("key")
@click.option("--database-url", help=DATABASE_URL_HELP)
def revoke(key: str, database_url: str | None) -> None:
    """Revoke the token with KEY.

    KEY is the part of the token after "accord_", as "accord broker token list" shows it.
    """
    from accord_broker.domain.operations import tokens

    database = _database(database_url)
    try:
        database.write(lambda session: tokens.revoke_token(session, key))
    finally:
        database.dispose()
    success(f"Revoked token {key}")
