"""Indexes that keep the UI index and for-verification flat as history grows.

* ``latest_verifications(provider_id, consumer_id, verification_id)`` replaces
  ``(provider_id, consumer_id)``: the newest result of an integration becomes one index descent
  (MAX of the last column) instead of reading its ~10,000 latest results. The old index is a
  prefix of the new one, so nothing that used it loses.

Revision ID: 0005_scale_indexes
Revises: 0004_api_tokens
Create Date: 2026-11-24 08:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_scale_indexes"
down_revision: str | None = "0004_api_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_latest_verifications_provider_consumer_verification",
        "latest_verifications",
        ["provider_id", "consumer_id", "verification_id"],
        unique=False,
    )
    op.drop_index(
        "ix_latest_verifications_provider_id_consumer_id", table_name="latest_verifications"
    )


def downgrade() -> None:
    op.create_index(
        "ix_latest_verifications_provider_id_consumer_id",
        "latest_verifications",
        ["provider_id", "consumer_id"],
        unique=False,
    )
    op.drop_index(
        "ix_latest_verifications_provider_consumer_verification",
        table_name="latest_verifications",
    )
