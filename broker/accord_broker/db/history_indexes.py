"""Indexes for the environment page's history: the newest ended deployments and releases.

``/ui/environments/{name}`` lists the last ``HISTORY_SHOWN`` deployments (and releases) that
ended, newest first. Through ``(environment_id, undeployed_at)`` that read every ended
deployment of the environment and sorted them (6,000 at the benchmark's full size); these
partial indexes hold only ended rows in the page's order, so the page reads what it shows.
"""

from sqlalchemy import Index

from accord_broker.db.models import DeployedVersion, ReleasedVersion

Index(
    "ix_deployed_versions_ended_by_environment",
    DeployedVersion.environment_id,
    DeployedVersion.created_at,
    DeployedVersion.id,
    sqlite_where=DeployedVersion.undeployed_at.is_not(None),
    postgresql_where=DeployedVersion.undeployed_at.is_not(None),
)
Index(
    "ix_released_versions_ended_by_environment",
    ReleasedVersion.environment_id,
    ReleasedVersion.created_at,
    ReleasedVersion.id,
    sqlite_where=ReleasedVersion.support_ended_at.is_not(None),
    postgresql_where=ReleasedVersion.support_ended_at.is_not(None),
)
