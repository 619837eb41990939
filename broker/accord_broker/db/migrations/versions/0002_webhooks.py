"""Webhooks: definitions, the triggered-webhook delivery queue and execution logs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("id", ID, nullable=False),
        sa.Column("uuid", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("consumer_id", ID, nullable=True),
        sa.Column("provider_id", ID, nullable=True),
        sa.Column("consumer_label", sa.String(length=255), nullable=True),
        sa.Column("provider_label", sa.String(length=255), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("body_is_json", sa.Boolean(), nullable=False),
        sa.Column("username", sa.Text(), nullable=True),
        sa.Column("password", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["consumer_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index("ix_webhooks_consumer_id", "webhooks", ["consumer_id"], unique=False)
    op.create_index("ix_webhooks_provider_id", "webhooks", ["provider_id"], unique=False)

    op.create_table(
        "triggered_webhooks",
        sa.Column("id", ID, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("webhook_id", ID, nullable=False),
        sa.Column("webhook_uuid", sa.String(length=64), nullable=False),
        sa.Column("trigger_type", sa.String(length=32), nullable=False),
        sa.Column("event_name", sa.String(length=64), nullable=False),
        sa.Column("event_context", sa.JSON(), nullable=False),
        sa.Column("pact_publication_id", ID, nullable=True),
        sa.Column("verification_id", ID, nullable=True),
        sa.Column("consumer_id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts_made", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["webhook_id"], ["webhooks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["pact_publication_id"], ["pact_publications.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["verification_id"], ["verifications.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["consumer_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    for name, columns in (
        ("ix_triggered_webhooks_status_next_attempt_at", ["status", "next_attempt_at"]),
        ("ix_triggered_webhooks_webhook_id", ["webhook_id"]),
        ("ix_triggered_webhooks_pact_publication_id", ["pact_publication_id"]),
        ("ix_triggered_webhooks_verification_id", ["verification_id"]),
        ("ix_triggered_webhooks_consumer_id_provider_id", ["consumer_id", "provider_id"]),
        ("ix_triggered_webhooks_provider_id", ["provider_id"]),
    ):
        op.create_index(name, "triggered_webhooks", columns, unique=False)

    op.create_table(
        "webhook_executions",
        sa.Column("id", ID, nullable=False),
        sa.Column("triggered_webhook_id", ID, nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("logs", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["triggered_webhook_id"], ["triggered_webhooks.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_webhook_executions_triggered_webhook_id",
        "webhook_executions",
        ["triggered_webhook_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("webhook_executions")
    op.drop_table("triggered_webhooks")
    op.drop_table("webhooks")
