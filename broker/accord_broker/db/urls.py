"""Which database URLs the broker can serve, checked before anything is created or bound.

SQLAlchemy would otherwise fail late and obscurely: a ``mysql://`` URL with a
``ModuleNotFoundError`` traceback, a SQLite file in a directory that does not exist with "unable
to open database file" (or, through Alembic, a directory silently created from a typo).
"""

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from accord.errors import BrokerConfigError

SUPPORTED = (
    "sqlite:///path/to/broker.sqlite (a file; its directory must exist)",
    "postgresql+psycopg://user:password@host:5432/database",
)


def _supported() -> str:
    return "; ".join(SUPPORTED)


def check_database_url(database_url: str) -> None:
    """Raise :class:`BrokerConfigError` when the broker cannot use ``database_url``."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        raise BrokerConfigError(
            f"the database URL {database_url!r} is not a URL; use one of: {_supported()}"
        ) from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if backend == "sqlite":
        _check_sqlite_path(url.database)
        return
    if backend == "postgresql" and driver == "psycopg":
        return
    if backend == "postgresql":
        raise BrokerConfigError(
            f"the database URL {url.render_as_string(hide_password=True)!r} names the "
            f"{driver!r} driver; the broker uses psycopg 3: write postgresql+psycopg://… "
            '(pip install "accord[postgres]")'
        )
    raise BrokerConfigError(
        f"the database URL {url.render_as_string(hide_password=True)!r} uses {backend!r}, "
        f"which the broker does not support; use one of: {_supported()}"
    )


def _check_sqlite_path(database: str | None) -> None:
    if database in (None, "", ":memory:") or database.startswith("file:"):
        return
    directory = Path(database).parent
    if not directory.is_dir():
        raise BrokerConfigError(
            f"the SQLite database {database!r} cannot be created: its directory "
            f"{str(directory)!r} does not exist; create it first (mkdir -p {directory}) "
            "or fix the path in --database-url / ACCORD_BROKER_DATABASE_URL"
        )


def unreachable_database(database_url: str, error: Exception) -> BrokerConfigError:
    """What to say when the database cannot be reached: where (password hidden) and why.

    The driver's own message is kept (it says refused, timed out, or authentication failed), but
    only its first line: the rest is SQLAlchemy's background link and a repeat of the URL.
    """
    url = make_url(database_url).render_as_string(hide_password=True)
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return BrokerConfigError(
        f"cannot reach the database at {url!r}: {reason}. Is the database server running and "
        "reachable from here, and are the host, port, user and password right? "
        "(--database-url or ACCORD_BROKER_DATABASE_URL)"
    )
