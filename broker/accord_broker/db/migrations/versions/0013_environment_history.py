"""The environment page's history in page order: partial indexes of ended deployments/releases.

Revision ID: 0013_environment_history
Revises: 0012_metric_counts
Create Date: 2026-12-07 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_environment_history"
down_revision: str | None = "0012_metric_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENDED = (
    ("ix_deployed_versions_ended_by_environment", "deployed_versions", "undeployed_at"),
    ("ix_released_versions_ended_by_environment", "released_versions", "support_ended_at"),
)


def upgrade() -> None:
    for index, table, until in ENDED:
        ended = sa.text(f"{until} IS NOT NULL")
        op.create_index(
            index,
            table,
            ["environment_id", "created_at", "id"],
            sqlite_where=ended,
            postgresql_where=ended,
        )


def downgrade() -> None:
    for index, table, _until in ENDED:
        op.drop_index(index, table_name=table)
