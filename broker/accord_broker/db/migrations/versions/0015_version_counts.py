"""Each pacticipant's number of versions, kept by triggers: ``pacticipant_version_counts``.

A page of versions counted all of the pacticipant's versions for ``page.totalElements``, a
cost that grew with the history; the triggers of ``accord_broker.db.version_counts`` now keep
the count on every insert and delete of a version, and this migration counts each pacticipant
once from the versions as they are (in the same transaction as the triggers, so no write is
missed).

Revision ID: 0015_version_counts
Revises: 0014_matrix_newest_results
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from accord_broker.db.version_counts import (
    INITIAL_COUNTS,
    VERSION_COUNTS,
    drop_ddl,
    trigger_ddl,
)
from alembic import op

revision: str = "0015_version_counts"
down_revision: str | None = "0014_matrix_newest_results"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        VERSION_COUNTS,
        sa.Column("pacticipant_id", ID, autoincrement=False, nullable=False),
        sa.Column("versions", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["pacticipant_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pacticipant_id"),
    )
    bind = op.get_bind()
    for statement in trigger_ddl(bind.dialect.name):
        bind.exec_driver_sql(statement)
    bind.exec_driver_sql(INITIAL_COUNTS)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in drop_ddl(bind.dialect.name):
        bind.exec_driver_sql(statement)
    op.drop_table(VERSION_COUNTS)
