"""Index for ``/matrix`` without ``latestby`` (every revision, every verification).

``verifications(pact_version_id, created_at, id)``: the results of one pact version created after
a given publication, newest first, are one index range read however many results the pact
version has (research broker.md §5.2: ~15,000 happen), instead of reading and sorting them all.

Revision ID: 0006_matrix_every_row
Revises: 0005_scale_indexes
Create Date: 2026-11-24 09:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_matrix_every_row"
down_revision: str | None = "0005_scale_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_verifications_pact_version_id_created_at",
        "verifications",
        ["pact_version_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_verifications_pact_version_id_created_at", table_name="verifications")
