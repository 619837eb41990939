"""Indexes for for-verification's pending-by-tag rule and its released selector (issue #20).

The pending rule for provider tags compares a result's date with the creation of the first
provider tag of that name: through ``(pacticipant_id, name, version_order)`` that was a walk
of every tag of the name (a thousand ``dev`` tags at the benchmark's full size), through
``(pacticipant_id, name, created_at)`` it is the first entry. The released selector wants a
consumer's currently supported releases; through ``(pacticipant_id)`` it read every release
the consumer ever made, the partial index holds only the supported ones.
"""

from sqlalchemy import Index

from accord_broker.db.models import ReleasedVersion, Tag

Index("ix_tags_pacticipant_id_name_created_at", Tag.pacticipant_id, Tag.name, Tag.created_at)
Index(
    "ix_released_versions_supported",
    ReleasedVersion.pacticipant_id,
    sqlite_where=ReleasedVersion.support_ended_at.is_(None),
    postgresql_where=ReleasedVersion.support_ended_at.is_(None),
)
