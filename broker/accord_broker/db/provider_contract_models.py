"""Provider contracts (bi-directional contract testing), kept apart from the core tables.

* ``ProviderContractContent`` (``provider_contract_contents``): an OpenAPI document as
  published, stored once per (provider, ``sha`` = SHA-256 of the published bytes), like
  ``pact_versions`` for pacts.
* ``ProviderContractPublication`` (``provider_contract_publications``): "provider version V
  published document X, and its own tests of X passed (or not)". One per provider version: a
  republication replaces it. The self-verification belongs here, not to the content: two
  versions may publish the same document with different test outcomes.
* ``ProviderContractComparison`` (``provider_contract_comparisons``): the verdict of comparing
  one pact content with one document content, with the findings. Keyed by the two contents, so
  a republished identical pact or document is never compared twice.
* ``PendingComparison`` (``provider_contract_pending_comparisons``): a pair a publication left
  to the background worker (its time budget was spent). The worker claims rows with a short
  lease and records each verdict and deletes its row in one transaction that first checks it
  still holds the lease: each pair is recorded exactly once, survives a restart, and a killed
  worker's claims are taken again after one lease.
"""

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
)
from sqlalchemy.orm import Mapped, mapped_column

from accord_broker.db.models import NAME, Base
from accord_broker.db.types import UtcDateTime, utc_now

_ID = BigInteger().with_variant(Integer(), "sqlite")


class ProviderContractContent(Base):
    __tablename__ = "provider_contract_contents"
    __table_args__ = (UniqueConstraint("provider_id", "sha"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    sha: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    """The document's text as published (YAML or JSON)."""
    content_type: Mapped[str] = mapped_column(String(NAME))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ProviderContractPublication(Base):
    __tablename__ = "provider_contract_publications"
    __table_args__ = (
        Index("ix_provider_contract_publications_provider_id", "provider_id"),
        Index("ix_provider_contract_publications_content_id", "content_id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("pacticipants.id", ondelete="CASCADE"))
    provider_version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), unique=True
    )
    content_id: Mapped[int] = mapped_column(
        ForeignKey("provider_contract_contents.id", ondelete="CASCADE")
    )
    specification: Mapped[str] = mapped_column(String(32))
    self_verification_success: Mapped[bool] = mapped_column(Boolean)
    self_verification: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``content`` (the decoded text), ``contentType``, ``format``, ``verifier``,
    ``verifierVersion``."""
    build_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ProviderContractComparison(Base):
    __tablename__ = "provider_contract_comparisons"
    __table_args__ = (Index("ix_provider_contract_comparisons_content_id", "content_id"),)

    pact_version_id: Mapped[int] = mapped_column(
        ForeignKey("pact_versions.id", ondelete="CASCADE"), primary_key=True
    )
    content_id: Mapped[int] = mapped_column(
        ForeignKey("provider_contract_contents.id", ondelete="CASCADE"), primary_key=True
    )
    compatible: Mapped[bool] = mapped_column(Boolean)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """``accord.openapi.Finding.to_json()`` of each finding, errors and warnings."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PendingComparison(Base):
    __tablename__ = "provider_contract_pending_comparisons"
    __table_args__ = (
        UniqueConstraint("publication_id", "pact_version_id"),
        Index("ix_provider_contract_pending_comparisons_lease", "lease_expires_at"),
        Index("ix_provider_contract_pending_comparisons_content_id", "content_id"),
        Index("ix_provider_contract_pending_comparisons_pact_version_id", "pact_version_id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("provider_contract_publications.id", ondelete="CASCADE")
    )
    content_id: Mapped[int] = mapped_column(
        ForeignKey("provider_contract_contents.id", ondelete="CASCADE")
    )
    """The document the publication had when it queued the pair: a republication with another
    document makes the row stale (the worker drops it; the new publication queued its own)."""
    pact_version_id: Mapped[int] = mapped_column(ForeignKey("pact_versions.id", ondelete="CASCADE"))
    base_url: Mapped[str] = mapped_column(Text)
    """The broker's base URL as the publishing client saw it, for the webhooks' links."""
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
