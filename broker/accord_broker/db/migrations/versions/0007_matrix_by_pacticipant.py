"""Indexes for ``/matrix`` about a pacticipant by name alone (every row, newest first).

``q[][pacticipant]=Accounts`` asks for the provider's newest results and the consumer's newest
publications. Without an index ordered by date the database read every result of the provider
(35,000 at the scale benchmark's size) and sorted them to keep 100: 24 ms on SQLite, growing
with history. ``verifications(provider_id, created_at, id)`` and
``pact_publications(consumer_id, created_at, id)`` make each a backward index range read that
stops at the limit.

Revision ID: 0007_matrix_by_pacticipant
Revises: 0006_matrix_every_row
Create Date: 2026-11-24 14:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_matrix_by_pacticipant"
down_revision: str | None = "0006_matrix_every_row"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_verifications_provider_id_created_at",
        "verifications",
        ["provider_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_pact_publications_consumer_id_created_at",
        "pact_publications",
        ["consumer_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_pact_publications_consumer_id_created_at", table_name="pact_publications")
    op.drop_index("ix_verifications_provider_id_created_at", table_name="verifications")
