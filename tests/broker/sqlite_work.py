"""Counting the work SQLite does for a question: its virtual machine's steps.

Deterministic where a timing is not: the same data and plan give the same count, whatever else
the machine is doing. Tests compare counts at two history sizes to show a cost does not grow.
"""

from collections.abc import Callable

from accord_broker.db import Database
from accord_broker.domain.for_verification.resolution import pacts_for_verification
from accord_broker.domain.for_verification.selectors import parse_for_verification_request
from sqlalchemy.orm import Session

STEPS_PER_CALLBACK = 100


def session_steps(
    db: Database, ask: Callable[[Session], object], per_callback: int = STEPS_PER_CALLBACK
) -> int:
    """SQLite's steps for ``ask`` in one read session, counted to ``per_callback`` steps. It
    is asked once before, so statements are compiled and per-process caches filled, and only
    the answer's own work is counted."""
    with db.read_session() as session:
        ask(session)
        connection = session.connection().connection.driver_connection
        assert connection is not None
        calls = 0

        def count() -> int:
            nonlocal calls
            calls += 1
            return 0

        connection.set_progress_handler(count, per_callback)
        try:
            ask(session)
        finally:
            connection.set_progress_handler(None, per_callback)
    return calls * per_callback


def url_steps(
    url: str, ask: Callable[[Session], object], per_callback: int = STEPS_PER_CALLBACK
) -> int:
    """``session_steps`` on a database opened (and closed) for this count only."""
    database = Database(url)
    try:
        return session_steps(database, ask, per_callback)
    finally:
        database.dispose()


def for_verification_steps(db: Database, provider: str, body: dict[str, object]) -> int:
    """SQLite's steps for one for-verification answer."""
    request = parse_for_verification_request(body)
    return session_steps(db, lambda session: pacts_for_verification(session, provider, request))
