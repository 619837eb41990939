"""Provider contracts: the queue of comparisons a publication leaves to the background worker.

A provider contract publication compares what fits in its time budget and queues the other
pairs here; the worker claims rows with a lease, records each verdict and deletes its row.

Revision ID: 0011_pending_comparisons
Revises: 0010_provider_contracts
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_pending_comparisons"
down_revision: str | None = "0010_provider_contracts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
TABLE = "provider_contract_pending_comparisons"


def _index(column: str) -> str:
    """The index names the model declares (``lease`` for the lease's expiry)."""
    return f"ix_{TABLE}_{'lease' if column == 'lease_expires_at' else column}"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", ID, nullable=False),
        sa.Column("publication_id", ID, nullable=False),
        sa.Column("content_id", ID, nullable=False),
        sa.Column("pact_version_id", ID, nullable=False),
        sa.Column("base_url", sa.Text(), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"], ["provider_contract_publications.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["content_id"], ["provider_contract_contents.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["pact_version_id"], ["pact_versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("publication_id", "pact_version_id"),
    )
    for column in ("lease_expires_at", "content_id", "pact_version_id"):
        op.create_index(_index(column), TABLE, [column])


def downgrade() -> None:
    for column in ("lease_expires_at", "content_id", "pact_version_id"):
        op.drop_index(_index(column), table_name=TABLE)
    op.drop_table(TABLE)
