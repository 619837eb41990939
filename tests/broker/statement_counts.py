"""Counting the SELECTs a question to the domain runs, for the tests that pin read costs.

A test asks a question twice on a fresh ``Database`` (the first asking may fill what is cached
per process) and counts the second; equal counts at two history sizes mean the question's
work does not grow with history.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from accord_broker.db.engine import Database
from sqlalchemy import event
from sqlalchemy.orm import Session


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    """The SELECT (and WITH) statements run on ``database`` while the block runs."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def select_statements(database_url: str, question: Callable[[Session], object]) -> int:
    """How many SELECTs ``question`` runs when asked a second time in a read session."""
    database = Database(database_url)
    try:
        with database.read_session() as session:
            question(session)  # the first asking may load what is cached per process
        with counting(database) as statements, database.read_session() as session:
            question(session)
    finally:
        database.dispose()
    return len(statements)
