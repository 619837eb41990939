"""``branch_verifications``: which branches' provider versions verified each pact successfully.

Pending and WIP ask "has a provider version on branch B verified this pact successfully?". The
answer was an existence check over the pact's successful results, probing each result's
provider version for the branch: one probe when a version on B verified it early, but every
result when none did, which is what a provider's *new* branch asks about every pact (15,000
results on a busy pact: 27 ms on PostgreSQL, 98 ms with WIP). One row per (branch version,
verification) makes it one index probe. Filled here from the existing history.

Revision ID: 0008_branch_verifications
Revises: 0007_matrix_by_pacticipant
Create Date: 2026-11-24 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_branch_verifications"
down_revision: str | None = "0007_matrix_by_pacticipant"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "branch_verifications",
        sa.Column("branch_version_id", ID, nullable=False),
        sa.Column("verification_id", ID, nullable=False),
        sa.Column("pact_version_id", ID, nullable=False),
        sa.Column("branch_name", sa.String(255), nullable=False),
        sa.Column("wip", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("execution_date", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["branch_version_id"], ["branch_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["verification_id"], ["verifications.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pact_version_id"], ["pact_versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("branch_version_id", "verification_id"),
    )
    op.create_index(
        "ix_branch_verifications_pact_version_branch",
        "branch_verifications",
        ["pact_version_id", "branch_name", "wip", "execution_date"],
    )
    op.create_index(
        "ix_branch_verifications_verification_id", "branch_verifications", ["verification_id"]
    )
    verifications = sa.table(
        "verifications",
        sa.column("id"),
        sa.column("pact_version_id"),
        sa.column("provider_version_id"),
        sa.column("success", sa.Boolean()),
        sa.column("wip", sa.Boolean()),
        sa.column("created_at"),
        sa.column("execution_date"),
    )
    branch_versions = sa.table(
        "branch_versions", sa.column("id"), sa.column("version_id"), sa.column("branch_name")
    )
    target = sa.table(
        "branch_verifications",
        sa.column("branch_version_id"),
        sa.column("verification_id"),
        sa.column("pact_version_id"),
        sa.column("branch_name"),
        sa.column("wip"),
        sa.column("created_at"),
        sa.column("execution_date"),
    )
    history = (
        sa.select(
            branch_versions.c.id,
            verifications.c.id,
            verifications.c.pact_version_id,
            branch_versions.c.branch_name,
            sa.func.coalesce(verifications.c.wip, sa.false()),
            verifications.c.created_at,
            sa.func.coalesce(verifications.c.execution_date, verifications.c.created_at),
        )
        .join(branch_versions, branch_versions.c.version_id == verifications.c.provider_version_id)
        .where(verifications.c.success.is_(True))
    )
    op.execute(target.insert().from_select(list(target.c.keys()), history))


def downgrade() -> None:
    op.drop_index("ix_branch_verifications_verification_id", table_name="branch_verifications")
    op.drop_index("ix_branch_verifications_pact_version_branch", table_name="branch_verifications")
    op.drop_table("branch_verifications")
