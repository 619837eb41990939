"""Bring a database to the newest schema with Alembic, programmatically.

The migration scripts ship inside the package (``accord_broker/db/migrations``), so
``accord broker migrate`` and the broker's start-up work from an installed wheel, with no
``alembic.ini`` on disk.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration pointing at the packaged scripts and ``database_url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def migrate(database_url: str) -> None:
    """Upgrade the database at ``database_url`` to the newest schema (a no-op when current)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(database_url), "head")
