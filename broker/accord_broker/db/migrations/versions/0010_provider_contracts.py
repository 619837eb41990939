"""Provider contracts: OpenAPI documents published by providers, and their comparisons.

Bi-directional contract testing (issue #18): a provider publishes its OpenAPI document with
the result of its own tests of it; the broker compares each consumer pact with it when either
side is published. Contents are stored once per hash, publications once per provider version,
comparisons once per (pact content, document content).

Revision ID: 0010_provider_contracts
Revises: 0009_tag_heads
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_provider_contracts"
down_revision: str | None = "0009_tag_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "provider_contract_contents",
        sa.Column("id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_id", "sha"),
    )
    op.create_table(
        "provider_contract_publications",
        sa.Column("id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("provider_version_id", ID, nullable=False),
        sa.Column("content_id", ID, nullable=False),
        sa.Column("specification", sa.String(length=32), nullable=False),
        sa.Column("self_verification_success", sa.Boolean(), nullable=False),
        sa.Column("self_verification", sa.JSON(), nullable=False),
        sa.Column("build_url", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["content_id"], ["provider_contract_contents.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_version_id"),
    )
    op.create_index(
        "ix_provider_contract_publications_provider_id",
        "provider_contract_publications",
        ["provider_id"],
    )
    op.create_index(
        "ix_provider_contract_publications_content_id",
        "provider_contract_publications",
        ["content_id"],
    )
    op.create_table(
        "provider_contract_comparisons",
        sa.Column("pact_version_id", ID, nullable=False),
        sa.Column("content_id", ID, nullable=False),
        sa.Column("compatible", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["pact_version_id"], ["pact_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["content_id"], ["provider_contract_contents.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pact_version_id", "content_id"),
    )
    op.create_index(
        "ix_provider_contract_comparisons_content_id",
        "provider_contract_comparisons",
        ["content_id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_provider_contract_comparisons_content_id", table_name="provider_contract_comparisons"
    )
    op.drop_table("provider_contract_comparisons")
    op.drop_index(
        "ix_provider_contract_publications_content_id",
        table_name="provider_contract_publications",
    )
    op.drop_index(
        "ix_provider_contract_publications_provider_id",
        table_name="provider_contract_publications",
    )
    op.drop_table("provider_contract_publications")
    op.drop_table("provider_contract_contents")
