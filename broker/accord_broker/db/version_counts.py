"""How many versions each pacticipant has, kept by database triggers on ``versions``.

A page of versions answers ``page.totalElements``; counting the pacticipant's versions for it
read the whole ``(pacticipant_id, …)`` index range, so page 3 cost more the longer the history
(issue #20: about a third of a page's SQLite work at 3,000 versions). The count is kept here
instead, one row per pacticipant, and a page reads it with one primary-key seek.

Triggers keep it in the writes' own transactions, so it stays exact through every write path:
the API, the cleanup command, foreign-key cascades and bulk statements alike. On SQLite they
run per row; on PostgreSQL once per statement over its transition table (a cleanup or a
cascade deleting thousands of versions updates each counter row once). A pacticipant's
versions are created one at a time under the lock on its row
(:func:`accord_broker.domain.versions.versions.find_or_create_version`), so the counter row
adds no waiting there; a version never changes pacticipant, so updates are not counted. The
migration ``0015_version_counts`` installs the triggers and counts each pacticipant once.
"""

from collections.abc import Iterator

from sqlalchemy import BigInteger, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from accord_broker.db.models import Base

VERSION_COUNTS = "pacticipant_version_counts"
_TRIGGERS = ("insert", "delete")


class PacticipantVersionCount(Base):
    """The number of versions of one pacticipant (no row: none yet)."""

    __tablename__ = VERSION_COUNTS

    pacticipant_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        ForeignKey("pacticipants.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    versions: Mapped[int] = mapped_column(BigInteger, nullable=False)


_UPSERT = (
    f"ON CONFLICT (pacticipant_id) DO UPDATE SET "
    f"versions = {VERSION_COUNTS}.versions + excluded.versions"
)


def _sqlite_body(event: str) -> str:
    """One version inserted (``NEW``) or deleted (``OLD``)."""
    if event == "insert":
        return (
            f"INSERT INTO {VERSION_COUNTS} (pacticipant_id, versions) "
            f"VALUES (NEW.pacticipant_id, 1) {_UPSERT}"
        )
    return (
        f"UPDATE {VERSION_COUNTS} SET versions = versions - 1 "
        "WHERE pacticipant_id = OLD.pacticipant_id"
    )


def _postgresql_body(event: str, rows: str) -> str:
    """The statement's inserted or deleted versions (``rows``), counted per pacticipant."""
    per_owner = f"SELECT r.pacticipant_id, COUNT(*) AS k FROM {rows} AS r GROUP BY r.pacticipant_id"
    if event == "insert":
        return f"INSERT INTO {VERSION_COUNTS} (pacticipant_id, versions) {per_owner} {_UPSERT}"
    return (
        f"UPDATE {VERSION_COUNTS} AS v SET versions = v.versions - d.k "
        f"FROM ({per_owner}) AS d WHERE v.pacticipant_id = d.pacticipant_id"
    )


def trigger_ddl(dialect: str) -> Iterator[str]:
    """The statements creating the counting triggers on ``dialect`` (sqlite or postgresql)."""
    for event in _TRIGGERS:
        name = f"version_counts_{event}"
        if dialect == "sqlite":
            yield (
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON versions FOR EACH ROW "
                f"BEGIN\n{_sqlite_body(event)};\nEND"
            )
            continue
        transition = "NEW" if event == "insert" else "OLD"
        rows = f"version_counts_{transition.lower()}_rows"
        yield (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"{_postgresql_body(event, rows)};\nRETURN NULL;\nEND\n$$"
        )
        yield (
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON versions "
            f"REFERENCING {transition} TABLE AS {rows} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def drop_ddl(dialect: str) -> Iterator[str]:
    """The statements dropping what :func:`trigger_ddl` creates."""
    for event in _TRIGGERS:
        name = f"version_counts_{event}"
        if dialect == "sqlite":
            yield f"DROP TRIGGER IF EXISTS {name}"
        else:
            yield f"DROP TRIGGER IF EXISTS {name} ON versions"
            yield f"DROP FUNCTION IF EXISTS {name}()"


INITIAL_COUNTS = (
    f"INSERT INTO {VERSION_COUNTS} (pacticipant_id, versions) "
    "SELECT pacticipant_id, COUNT(*) FROM versions GROUP BY pacticipant_id"
)
"""The migration's one full pass: each pacticipant's versions as they are."""
