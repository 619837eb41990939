"""Index for the pending and WIP checks of for-verification.

``verifications(pact_version_id, success, provider_version_id)`` answers "which provider versions
verified these pact versions successfully" from the index alone, however many failed or repeated
results a pact version has (research broker.md §5.2: ~15,000 results per pact version happen).

Revision ID: 0003_for_verification
Revises: 0002
Create Date: 2026-11-24 07:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_for_verification"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_verifications_pact_version_id_success",
        "verifications",
        ["pact_version_id", "success", "provider_version_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_verifications_pact_version_id_success", table_name="verifications")
