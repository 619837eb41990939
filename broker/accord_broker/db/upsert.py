"""``INSERT … ON CONFLICT DO NOTHING`` on both SQLite and PostgreSQL.

Get-or-create through this statement never raises on a concurrent duplicate: the loser's insert
does nothing (on PostgreSQL it waits for the winner's commit first), and the following select
finds the winner's row.
"""

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from accord_broker.db.models import Base


def insert_ignore(
    session: Session, model: type[Base], values: dict[str, Any], conflict: list[str]
) -> None:
    """Insert ``values`` unless a row with the same ``conflict`` columns exists."""
    if session.get_bind().dialect.name == "postgresql":
        pg = (
            postgresql.insert(model)
            .values(**values)
            .on_conflict_do_nothing(index_elements=conflict)
        )
        session.execute(pg)
    else:
        lite = sqlite.insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict)
        session.execute(lite)


def insert_ignore_many(
    session: Session, model: type[Base], rows: list[dict[str, Any]], conflict: list[str]
) -> None:
    """Insert each of ``rows`` (one executemany) unless a row with its ``conflict`` columns
    exists."""
    if not rows:
        return
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).on_conflict_do_nothing(index_elements=conflict)
    session.execute(statement, rows)
