"""Counting the work SQLite does for a question: its virtual machine's steps.

Deterministic where a timing is not: the same data and plan give the same count, whatever else
the machine is doing. Tests compare counts at two history sizes to show a cost does not grow.
"""

from accord_broker.db import Database
from accord_broker.domain.for_verification.resolution import pacts_for_verification
from accord_broker.domain.for_verification.selectors import parse_for_verification_request

STEPS_PER_CALLBACK = 100


def for_verification_steps(db: Database, provider: str, body: dict[str, object]) -> int:
    """SQLite's steps for one for-verification answer (asked once before, so statements are
    compiled and cached and only the answer's own work is counted)."""
    request = parse_for_verification_request(body)
    with db.read_session() as session:
        pacts_for_verification(session, provider, request)
        connection = session.connection().connection.driver_connection
        assert connection is not None
        calls = 0

        def count() -> int:
            nonlocal calls
            calls += 1
            return 0

        connection.set_progress_handler(count, STEPS_PER_CALLBACK)
        try:
            pacts_for_verification(session, provider, request)
        finally:
            connection.set_progress_handler(None, STEPS_PER_CALLBACK)
    return calls * STEPS_PER_CALLBACK
