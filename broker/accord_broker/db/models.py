"""The broker's tables (SQLAlchemy 2.0 typed models). Names here are stable: others build on them.

Tables and what they mean (the shape follows the Pact Broker's, see research broker.md §3, §5):

* ``Pacticipant`` (``pacticipants``): an application, consumer or provider; ``name`` unique,
  ``main_branch`` names its main line.
* ``Version`` (``versions``): a pacticipant version. ``order`` is monotonic per pacticipant
  (assigned at creation, never changed); "latest version" means highest ``order``.
* ``Branch`` (``branches``) and ``BranchVersion`` (``branch_versions``): versions on a branch.
  ``Branch.head_version_id`` caches the branch head, the version most recently *added* to the
  branch (not the highest order), maintained on write.
* ``Tag`` (``tags``): a tag on a version; ``version_order`` copies ``Version.order`` so the
  "latest version with tag T" is one index range scan.
* ``PactVersion`` (``pact_versions``): pact *content*, stored once per
  (consumer, provider, ``sha`` = ``accord.pact.content_sha``). Verifications attach here.
* ``PactPublication`` (``pact_publications``): "consumer version V published content X for
  provider P", one row per revision (``revision_number`` starts at 1).
* ``LatestPactPublication`` (``latest_pact_publications``): cache of the current revision per
  (consumer version, provider), maintained on write. Every "latest pact" query reads this table,
  never the revisions.
* ``Integration`` (``integrations``): one row per (consumer, provider) pair that has a pact.
* ``Verification`` (``verifications``): a verification result for a pact version by a provider
  version. ``number`` counts per pact version (1, 2, …) and appears in URLs.
* ``LatestVerification`` (``latest_verifications``): cache of the newest verification per
  (pact version, provider version), maintained on write; drives the matrix and pending status.
* ``Environment`` (``environments``), ``DeployedVersion`` (``deployed_versions``; currently
  deployed = ``undeployed_at IS NULL``, at most one per (pacticipant, environment, instance)
  through a partial unique index) and ``ReleasedVersion`` (``released_versions``; currently
  supported = ``support_ended_at IS NULL``).
* ``Label`` (``labels``): a label on a pacticipant.

Every foreign key is indexed, and so is every column the hot queries filter or sort on.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from accord_broker.db.types import UtcDateTime, utc_now

NAME = 255
"""Length limit of names (pacticipants, versions, branches, tags, environments)."""

_ID = BigInteger().with_variant(Integer(), "sqlite")
"""A 64-bit key on PostgreSQL; SQLite wants exactly INTEGER for an auto-incrementing rowid."""


class Base(DeclarativeBase):
    """The declarative base of every broker table."""


def _new_uuid() -> str:
    return str(uuid.uuid4())


class Pacticipant(Base):
    __tablename__ = "pacticipants"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(NAME))
    main_branch: Mapped[str | None] = mapped_column(String(NAME))
    repository_url: Mapped[str | None] = mapped_column(Text)
    repository_name: Mapped[str | None] = mapped_column(String(NAME))
    repository_namespace: Mapped[str | None] = mapped_column(String(NAME))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Label(Base):
    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("pacticipant_id", "name"), Index("ix_labels_name", "name"))

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    pacticipant_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("pacticipant_id", "number"),
        UniqueConstraint("pacticipant_id", "order"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    pacticipant_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(NAME))
    order: Mapped[int] = mapped_column(BigInteger)
    build_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    pacticipant: Mapped[Pacticipant] = relationship(lazy="joined", innerjoin=True)


class Branch(Base):
    __tablename__ = "branches"
    __table_args__ = (UniqueConstraint("pacticipant_id", "name"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    pacticipant_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME))
    head_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class BranchVersion(Base):
    __tablename__ = "branch_versions"
    __table_args__ = (
        UniqueConstraint("branch_id", "version_id"),
        Index("ix_branch_versions_version_id_branch_name", "version_id", "branch_name"),
        Index("ix_branch_versions_branch_id_version_order", "branch_id", "version_order"),
        Index("ix_branch_versions_pacticipant_id_branch_name", "pacticipant_id", "branch_name"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    pacticipant_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    branch_name: Mapped[str] = mapped_column(String(NAME))
    version_order: Mapped[int] = mapped_column(BigInteger)
    auto_created: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (
        UniqueConstraint("version_id", "name"),
        Index(
            "ix_tags_pacticipant_id_name_version_order", "pacticipant_id", "name", "version_order"
        ),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    pacticipant_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME))
    version_order: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class TagHead(Base):
    """The newest version carrying each tag name of a pacticipant (derived from ``tags``).

    WIP asks for the newest version of every tag of a provider's consumers; grouping ``tags``
    reads every tagged version, a walk of its index costs two seeks per name, and this is one
    index range per consumer. Kept by ``domain/versions/tags.py`` (tagging, untagging) and repaired
    after version deletes, as branch heads are.
    """

    __tablename__ = "tag_heads"

    pacticipant_id: Mapped[int] = mapped_column(
        ForeignKey("pacticipants.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    version_order: Mapped[int] = mapped_column(BigInteger)


class PactVersion(Base):
    __tablename__ = "pact_versions"
    __table_args__ = (
        UniqueConstraint("consumer_id", "provider_id", "sha"),
        Index("ix_pact_versions_provider_id", "provider_id"),
        Index("ix_pact_versions_sha", "sha"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    consumer_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    sha: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    """The pact JSON text as published (never rewritten; ``_id``s are added when served)."""
    interactions_count: Mapped[int] = mapped_column(Integer, default=0)
    messages_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PactPublication(Base):
    __tablename__ = "pact_publications"
    __table_args__ = (
        UniqueConstraint("consumer_version_id", "provider_id", "revision_number"),
        Index(
            "ix_pact_publications_consumer_provider_order",
            "consumer_id",
            "provider_id",
            "consumer_version_order",
        ),
        Index("ix_pact_publications_provider_id_created_at", "provider_id", "created_at"),
        Index("ix_pact_publications_consumer_id_created_at", "consumer_id", "created_at", "id"),
        Index("ix_pact_publications_pact_version_id", "pact_version_id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    consumer_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    consumer_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    revision_number: Mapped[int] = mapped_column(Integer)
    pact_version_id: Mapped[int] = mapped_column(ForeignKey("pact_versions.id", ondelete="CASCADE"))
    consumer_version_order: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LatestPactPublication(Base):
    """The current revision of the pact of one consumer version for one provider."""

    __tablename__ = "latest_pact_publications"
    __table_args__ = (
        Index(
            "ix_latest_pact_publications_provider_consumer_order",
            "provider_id",
            "consumer_id",
            "consumer_version_order",
        ),
        Index("ix_latest_pact_publications_pact_version_id", "pact_version_id"),
        Index("ix_latest_pact_publications_provider_id_created_at", "provider_id", "created_at"),
        Index("ix_latest_pact_publications_consumer_id", "consumer_id"),
    )

    consumer_version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True
    )
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("pacticipants.id", ondelete="CASCADE"), primary_key=True
    )
    consumer_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    pact_publication_id: Mapped[int] = mapped_column(
        ForeignKey("pact_publications.id", ondelete="CASCADE"), unique=True
    )
    pact_version_id: Mapped[int] = mapped_column(ForeignKey("pact_versions.id", ondelete="CASCADE"))
    consumer_version_order: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    """When this revision was published (copied from the publication)."""


class Integration(Base):
    __tablename__ = "integrations"
    __table_args__ = (
        UniqueConstraint("consumer_id", "provider_id"),
        Index("ix_integrations_provider_id", "provider_id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    consumer_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    contract_data_updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Verification(Base):
    __tablename__ = "verifications"
    __table_args__ = (
        UniqueConstraint("pact_version_id", "number"),
        Index("ix_verifications_pact_version_id_id", "pact_version_id", "id"),
        Index("ix_verifications_pact_version_id_created_at", "pact_version_id", "created_at", "id"),
        Index("ix_verifications_provider_version_id", "provider_version_id"),
        Index("ix_verifications_provider_id_created_at", "provider_id", "created_at", "id"),
        Index(
            "ix_verifications_provider_wip_lookup",
            "provider_id",
            "provider_version_id",
            "success",
            "wip",
            "pact_version_id",
        ),
        Index("ix_verifications_consumer_id", "consumer_id"),
        # the pair's newest result (the UI's latest-verification page): one index descent,
        # not every result of the consumer sorted (migration 0017)
        Index("ix_verifications_pair_id", "consumer_id", "provider_id", "id"),
        Index(
            "ix_verifications_pact_version_id_success",
            "pact_version_id",
            "success",
            "provider_version_id",
        ),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    pact_version_id: Mapped[int] = mapped_column(ForeignKey("pact_versions.id", ondelete="CASCADE"))
    provider_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    consumer_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    success: Mapped[bool] = mapped_column(Boolean)
    build_url: Mapped[str | None] = mapped_column(Text)
    test_results: Mapped[Any | None] = mapped_column(JSON)
    verified_by: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    wip: Mapped[bool] = mapped_column(Boolean, default=False)
    pact_pending: Mapped[bool | None] = mapped_column(Boolean)
    provider_version_tag_names: Mapped[list[str] | None] = mapped_column(JSON)
    """The provider version's tags when the result was published (tags can change later)."""
    provider_version_branch_names: Mapped[list[str] | None] = mapped_column(JSON)
    execution_date: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class BranchVerification(Base):
    """A successful verification by a provider version that is on a branch: one row per
    (branch version, verification), so "has a version on branch B verified this pact?" is one
    index probe however many results the pact has (15,000 on a busy one).

    Derived data, written where its two sources are (``verifications.record_verification``,
    ``branches.add_version_to_branch``) and deleted with either of them by the foreign keys.
    """

    __tablename__ = "branch_verifications"
    __table_args__ = (
        Index(
            "ix_branch_verifications_pact_version_branch",
            "pact_version_id",
            "branch_name",
            "wip",
            "execution_date",
        ),
        Index("ix_branch_verifications_verification_id", "verification_id"),
    )

    branch_version_id: Mapped[int] = mapped_column(
        ForeignKey("branch_versions.id", ondelete="CASCADE"), primary_key=True
    )
    verification_id: Mapped[int] = mapped_column(
        ForeignKey("verifications.id", ondelete="CASCADE"), primary_key=True
    )
    pact_version_id: Mapped[int] = mapped_column(ForeignKey("pact_versions.id", ondelete="CASCADE"))
    branch_name: Mapped[str] = mapped_column(String(NAME))
    wip: Mapped[bool] = mapped_column(Boolean)
    """The verification was of a WIP pact (it does not take a pact out of WIP)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    """When the result was published (the pending rule's cutoff compares this)."""
    execution_date: Mapped[datetime] = mapped_column(UtcDateTime)
    """When the verification ran (the WIP rule's cutoff compares this)."""


class LatestVerification(Base):
    """The newest verification of one pact version by one provider version."""

    __tablename__ = "latest_verifications"
    __table_args__ = (
        Index("ix_latest_verifications_provider_version_id", "provider_version_id"),
        Index(
            "ix_latest_verifications_provider_consumer_verification",
            "provider_id",
            "consumer_id",
            "verification_id",
        ),
        Index("ix_latest_verifications_consumer_id", "consumer_id"),
    )

    pact_version_id: Mapped[int] = mapped_column(
        ForeignKey("pact_versions.id", ondelete="CASCADE"), primary_key=True
    )
    provider_version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True
    )
    verification_id: Mapped[int] = mapped_column(
        ForeignKey("verifications.id", ondelete="CASCADE"), unique=True
    )
    consumer_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Environment(Base):
    __tablename__ = "environments"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=_new_uuid)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(NAME))
    production: Mapped[bool] = mapped_column(Boolean, default=False)
    contacts: Mapped[list[Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class DeployedVersion(Base):
    """A deployment of a version to an environment (and application instance, if any).

    ``target_for_index`` is ``application_instance`` or ``''``, so that "one current deployment per
    (pacticipant, environment, instance)" is a unique index even when the instance is null.
    """

    __tablename__ = "deployed_versions"
    __table_args__ = (
        Index(
            "ux_deployed_versions_currently_deployed",
            "pacticipant_id",
            "environment_id",
            "target_for_index",
            unique=True,
            sqlite_where=text("undeployed_at IS NULL"),
            postgresql_where=text("undeployed_at IS NULL"),
        ),
        Index("ix_deployed_versions_version_id", "version_id"),
        Index("ix_deployed_versions_pacticipant_id", "pacticipant_id"),
        Index(
            "ix_deployed_versions_environment_id_undeployed_at", "environment_id", "undeployed_at"
        ),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=_new_uuid)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    pacticipant_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    environment_id: Mapped[int] = mapped_column(ForeignKey("environments.id", ondelete="CASCADE"))
    application_instance: Mapped[str | None] = mapped_column(String(NAME))
    target_for_index: Mapped[str] = mapped_column(String(NAME), default="")
    auto_created: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    undeployed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReleasedVersion(Base):
    __tablename__ = "released_versions"
    __table_args__ = (
        UniqueConstraint("version_id", "environment_id"),
        Index(
            "ix_released_versions_environment_id_support_ended_at",
            "environment_id",
            "support_ended_at",
        ),
        Index("ix_released_versions_pacticipant_id", "pacticipant_id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=_new_uuid)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    pacticipant_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    environment_id: Mapped[int] = mapped_column(ForeignKey("environments.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    support_ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
