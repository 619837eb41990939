"""for-verification flat at any history: the first tag of a name, the supported releases.

Revision ID: 0016_selector_indexes
Revises: 0015_version_counts
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_selector_indexes"
down_revision: str | None = "0015_version_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_tags_pacticipant_id_name_created_at", "tags", ["pacticipant_id", "name", "created_at"]
    )
    supported = sa.text("support_ended_at IS NULL")
    op.create_index(
        "ix_released_versions_supported",
        "released_versions",
        ["pacticipant_id"],
        sqlite_where=supported,
        postgresql_where=supported,
    )


def downgrade() -> None:
    op.drop_index("ix_released_versions_supported", table_name="released_versions")
    op.drop_index("ix_tags_pacticipant_id_name_created_at", table_name="tags")
