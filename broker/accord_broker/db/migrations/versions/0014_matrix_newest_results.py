"""The matrix's newest results per pact version: two indexes on ``latest_verifications``.

Revision ID: 0014_matrix_newest_results
Revises: 0013_environment_history
Create Date: 2026-12-07 06:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_matrix_newest_results"
down_revision: str | None = "0013_environment_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    (
        "ix_latest_verifications_pact_version_created",
        ["pact_version_id", "created_at", "verification_id"],
    ),
    ("ix_latest_verifications_pact_version_verification", ["pact_version_id", "verification_id"]),
)


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "latest_verifications", columns)


def downgrade() -> None:
    for name, _columns in INDEXES:
        op.drop_index(name, table_name="latest_verifications")
