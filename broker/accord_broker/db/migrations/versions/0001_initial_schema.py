"""Initial schema: pacticipants, versions, branches, tags, pacts, verifications, environments,
deployed and released versions (everything broker parts 1 and 2 need).

Revision ID: 0001
Revises:
Create Date: 2026-11-24 06:58:08.923471
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "environments",
        sa.Column("id", ID, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("production", sa.Boolean(), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_table(
        "pacticipants",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("main_branch", sa.String(length=255), nullable=True),
        sa.Column("repository_url", sa.Text(), nullable=True),
        sa.Column("repository_name", sa.String(length=255), nullable=True),
        sa.Column("repository_namespace", sa.String(length=255), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "integrations",
        sa.Column("id", ID, nullable=False),
        sa.Column("consumer_id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("contract_data_updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["consumer_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consumer_id", "provider_id"),
    )
    op.create_index("ix_integrations_provider_id", "integrations", ["provider_id"], unique=False)

    op.create_table(
        "labels",
        sa.Column("id", ID, nullable=False),
        sa.Column("pacticipant_id", ID, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["pacticipant_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pacticipant_id", "name"),
    )
    op.create_index("ix_labels_name", "labels", ["name"], unique=False)

    op.create_table(
        "pact_versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("consumer_id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("interactions_count", sa.Integer(), nullable=False),
        sa.Column("messages_count", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["consumer_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consumer_id", "provider_id", "sha"),
    )
    op.create_index("ix_pact_versions_provider_id", "pact_versions", ["provider_id"], unique=False)
    op.create_index("ix_pact_versions_sha", "pact_versions", ["sha"], unique=False)

    op.create_table(
        "versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("pacticipant_id", ID, nullable=False),
        sa.Column("number", sa.String(length=255), nullable=False),
        sa.Column("order", sa.BigInteger(), nullable=False),
        sa.Column("build_url", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["pacticipant_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pacticipant_id", "number"),
        sa.UniqueConstraint("pacticipant_id", "order"),
    )
    op.create_table(
        "branches",
        sa.Column("id", ID, nullable=False),
        sa.Column("pacticipant_id", ID, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("head_version_id", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["head_version_id"], ["versions.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["pacticipant_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pacticipant_id", "name"),
    )
    op.create_index("ix_branches_head_version_id", "branches", ["head_version_id"], unique=False)

    op.create_table(
        "deployed_versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("pacticipant_id", ID, nullable=False),
        sa.Column("environment_id", ID, nullable=False),
        sa.Column("application_instance", sa.String(length=255), nullable=True),
        sa.Column("target_for_index", sa.String(length=255), nullable=False),
        sa.Column("auto_created", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("undeployed_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(["environment_id"], ["environments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pacticipant_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(
        "ix_deployed_versions_environment_id_undeployed_at",
        "deployed_versions",
        ["environment_id", "undeployed_at"],
        unique=False,
    )
    op.create_index(
        "ix_deployed_versions_pacticipant_id", "deployed_versions", ["pacticipant_id"], unique=False
    )
    op.create_index(
        "ix_deployed_versions_version_id", "deployed_versions", ["version_id"], unique=False
    )
    op.create_index(
        "ux_deployed_versions_currently_deployed",
        "deployed_versions",
        ["pacticipant_id", "environment_id", "target_for_index"],
        unique=True,
        sqlite_where=sa.text("undeployed_at IS NULL"),
        postgresql_where=sa.text("undeployed_at IS NULL"),
    )

    op.create_table(
        "pact_publications",
        sa.Column("id", ID, nullable=False),
        sa.Column("consumer_version_id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("consumer_id", ID, nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("pact_version_id", ID, nullable=False),
        sa.Column("consumer_version_order", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["consumer_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["consumer_version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pact_version_id"], ["pact_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consumer_version_id", "provider_id", "revision_number"),
    )
    op.create_index(
        "ix_pact_publications_consumer_provider_order",
        "pact_publications",
        ["consumer_id", "provider_id", "consumer_version_order"],
        unique=False,
    )
    op.create_index(
        "ix_pact_publications_pact_version_id",
        "pact_publications",
        ["pact_version_id"],
        unique=False,
    )
    op.create_index(
        "ix_pact_publications_provider_id_created_at",
        "pact_publications",
        ["provider_id", "created_at"],
        unique=False,
    )

    op.create_table(
        "released_versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("pacticipant_id", ID, nullable=False),
        sa.Column("environment_id", ID, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("support_ended_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(["environment_id"], ["environments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pacticipant_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
        sa.UniqueConstraint("version_id", "environment_id"),
    )
    op.create_index(
        "ix_released_versions_environment_id_support_ended_at",
        "released_versions",
        ["environment_id", "support_ended_at"],
        unique=False,
    )
    op.create_index(
        "ix_released_versions_pacticipant_id", "released_versions", ["pacticipant_id"], unique=False
    )

    op.create_table(
        "tags",
        sa.Column("id", ID, nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("pacticipant_id", ID, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("version_order", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["pacticipant_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "name"),
    )
    op.create_index(
        "ix_tags_pacticipant_id_name_version_order",
        "tags",
        ["pacticipant_id", "name", "version_order"],
        unique=False,
    )

    op.create_table(
        "verifications",
        sa.Column("id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("pact_version_id", ID, nullable=False),
        sa.Column("provider_version_id", ID, nullable=False),
        sa.Column("consumer_id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("build_url", sa.Text(), nullable=True),
        sa.Column("test_results", sa.JSON(), nullable=True),
        sa.Column("verified_by", sa.JSON(), nullable=True),
        sa.Column("wip", sa.Boolean(), nullable=False),
        sa.Column("pact_pending", sa.Boolean(), nullable=True),
        sa.Column("provider_version_tag_names", sa.JSON(), nullable=True),
        sa.Column("provider_version_branch_names", sa.JSON(), nullable=True),
        sa.Column("execution_date", TIMESTAMP, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["consumer_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pact_version_id"], ["pact_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pact_version_id", "number"),
    )
    op.create_index("ix_verifications_consumer_id", "verifications", ["consumer_id"], unique=False)
    op.create_index(
        "ix_verifications_pact_version_id_id",
        "verifications",
        ["pact_version_id", "id"],
        unique=False,
    )
    op.create_index(
        "ix_verifications_provider_version_id",
        "verifications",
        ["provider_version_id"],
        unique=False,
    )
    op.create_index(
        "ix_verifications_provider_wip_lookup",
        "verifications",
        ["provider_id", "provider_version_id", "success", "wip", "pact_version_id"],
        unique=False,
    )

    op.create_table(
        "branch_versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("branch_id", ID, nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("pacticipant_id", ID, nullable=False),
        sa.Column("branch_name", sa.String(length=255), nullable=False),
        sa.Column("version_order", sa.BigInteger(), nullable=False),
        sa.Column("auto_created", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pacticipant_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("branch_id", "version_id"),
    )
    op.create_index(
        "ix_branch_versions_branch_id_version_order",
        "branch_versions",
        ["branch_id", "version_order"],
        unique=False,
    )
    op.create_index(
        "ix_branch_versions_pacticipant_id_branch_name",
        "branch_versions",
        ["pacticipant_id", "branch_name"],
        unique=False,
    )
    op.create_index(
        "ix_branch_versions_version_id_branch_name",
        "branch_versions",
        ["version_id", "branch_name"],
        unique=False,
    )

    op.create_table(
        "latest_pact_publications",
        sa.Column("consumer_version_id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("consumer_id", ID, nullable=False),
        sa.Column("pact_publication_id", ID, nullable=False),
        sa.Column("pact_version_id", ID, nullable=False),
        sa.Column("consumer_version_order", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["consumer_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["consumer_version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["pact_publication_id"], ["pact_publications.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["pact_version_id"], ["pact_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("consumer_version_id", "provider_id"),
        sa.UniqueConstraint("pact_publication_id"),
    )
    op.create_index(
        "ix_latest_pact_publications_consumer_id",
        "latest_pact_publications",
        ["consumer_id"],
        unique=False,
    )
    op.create_index(
        "ix_latest_pact_publications_pact_version_id",
        "latest_pact_publications",
        ["pact_version_id"],
        unique=False,
    )
    op.create_index(
        "ix_latest_pact_publications_provider_consumer_order",
        "latest_pact_publications",
        ["provider_id", "consumer_id", "consumer_version_order"],
        unique=False,
    )
    op.create_index(
        "ix_latest_pact_publications_provider_id_created_at",
        "latest_pact_publications",
        ["provider_id", "created_at"],
        unique=False,
    )

    op.create_table(
        "latest_verifications",
        sa.Column("pact_version_id", ID, nullable=False),
        sa.Column("provider_version_id", ID, nullable=False),
        sa.Column("verification_id", ID, nullable=False),
        sa.Column("consumer_id", ID, nullable=False),
        sa.Column("provider_id", ID, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["consumer_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pact_version_id"], ["pact_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["pacticipants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["verification_id"], ["verifications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pact_version_id", "provider_version_id"),
        sa.UniqueConstraint("verification_id"),
    )
    op.create_index(
        "ix_latest_verifications_consumer_id", "latest_verifications", ["consumer_id"], unique=False
    )
    op.create_index(
        "ix_latest_verifications_provider_id_consumer_id",
        "latest_verifications",
        ["provider_id", "consumer_id"],
        unique=False,
    )
    op.create_index(
        "ix_latest_verifications_provider_version_id",
        "latest_verifications",
        ["provider_version_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_latest_verifications_provider_version_id", table_name="latest_verifications")
    op.drop_index(
        "ix_latest_verifications_provider_id_consumer_id", table_name="latest_verifications"
    )
    op.drop_index("ix_latest_verifications_consumer_id", table_name="latest_verifications")

    op.drop_table("latest_verifications")
    op.drop_index(
        "ix_latest_pact_publications_provider_id_created_at", table_name="latest_pact_publications"
    )
    op.drop_index(
        "ix_latest_pact_publications_provider_consumer_order", table_name="latest_pact_publications"
    )
    op.drop_index(
        "ix_latest_pact_publications_pact_version_id", table_name="latest_pact_publications"
    )
    op.drop_index("ix_latest_pact_publications_consumer_id", table_name="latest_pact_publications")

    op.drop_table("latest_pact_publications")
    op.drop_index("ix_branch_versions_version_id_branch_name", table_name="branch_versions")
    op.drop_index("ix_branch_versions_pacticipant_id_branch_name", table_name="branch_versions")
    op.drop_index("ix_branch_versions_branch_id_version_order", table_name="branch_versions")

    op.drop_table("branch_versions")
    op.drop_index("ix_verifications_provider_wip_lookup", table_name="verifications")
    op.drop_index("ix_verifications_provider_version_id", table_name="verifications")
    op.drop_index("ix_verifications_pact_version_id_id", table_name="verifications")
    op.drop_index("ix_verifications_consumer_id", table_name="verifications")

    op.drop_table("verifications")
    op.drop_index("ix_tags_pacticipant_id_name_version_order", table_name="tags")

    op.drop_table("tags")
    op.drop_index("ix_released_versions_pacticipant_id", table_name="released_versions")
    op.drop_index(
        "ix_released_versions_environment_id_support_ended_at", table_name="released_versions"
    )

    op.drop_table("released_versions")
    op.drop_index("ix_pact_publications_provider_id_created_at", table_name="pact_publications")
    op.drop_index("ix_pact_publications_pact_version_id", table_name="pact_publications")
    op.drop_index("ix_pact_publications_consumer_provider_order", table_name="pact_publications")

    op.drop_table("pact_publications")
    op.drop_index(
        "ux_deployed_versions_currently_deployed",
        table_name="deployed_versions",
        sqlite_where=sa.text("undeployed_at IS NULL"),
        postgresql_where=sa.text("undeployed_at IS NULL"),
    )
    op.drop_index("ix_deployed_versions_version_id", table_name="deployed_versions")
    op.drop_index("ix_deployed_versions_pacticipant_id", table_name="deployed_versions")
    op.drop_index(
        "ix_deployed_versions_environment_id_undeployed_at", table_name="deployed_versions"
    )

    op.drop_table("deployed_versions")
    op.drop_index("ix_branches_head_version_id", table_name="branches")

    op.drop_table("branches")
    op.drop_table("versions")
    op.drop_index("ix_pact_versions_sha", table_name="pact_versions")
    op.drop_index("ix_pact_versions_provider_id", table_name="pact_versions")

    op.drop_table("pact_versions")
    op.drop_index("ix_labels_name", table_name="labels")

    op.drop_table("labels")
    op.drop_index("ix_integrations_provider_id", table_name="integrations")

    op.drop_table("integrations")
    op.drop_table("pacticipants")
    op.drop_table("environments")
