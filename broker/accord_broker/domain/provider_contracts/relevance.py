"""Which pairs a publication compares: the versions a release question can ask about.

Comparing a new document with every pact ever published (or a new pact with every provider
version's document) would grow with history. A release question (can-i-deploy, the matrix with
``latestby``) asks about the *heads*: the newest version of a pacticipant, of each of its
branches and tags, and the versions deployed or released in an environment. Those are the
versions compared, on both sides, each in one set-based statement.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    DeployedVersion,
    Integration,
    LatestPactPublication,
    ReleasedVersion,
    TagHead,
    Version,
)
from accord_broker.db.provider_contract_models import ProviderContractPublication


def _head_versions(in_pacticipants: Select[Any] | list[int]) -> Select[Any]:
    """Every version id that heads a branch or tag of, or is deployed or released for, one of
    the pacticipants ``in_pacticipants`` selects."""
    branches = select(Branch.head_version_id.label("version_id")).where(
        Branch.pacticipant_id.in_(in_pacticipants), Branch.head_version_id.is_not(None)
    )
    tags = select(TagHead.version_id).where(TagHead.pacticipant_id.in_(in_pacticipants))
    deployed = select(DeployedVersion.version_id).where(
        DeployedVersion.pacticipant_id.in_(in_pacticipants),
        DeployedVersion.undeployed_at.is_(None),
    )
    released = select(ReleasedVersion.version_id).where(
        ReleasedVersion.pacticipant_id.in_(in_pacticipants),
        ReleasedVersion.support_ended_at.is_(None),
    )
    heads = union(branches, tags, deployed, released).subquery()
    return select(heads.c.version_id)


def pacts_to_compare(session: Session, provider_id: int) -> Sequence[tuple[int, int]]:
    """(pact version id, consumer version id) of the provider's consumers' head versions, and
    of each consumer's newest version, one row per pact content."""
    lpp = LatestPactPublication
    other = aliased(LatestPactPublication)
    consumers = select(Integration.consumer_id).where(Integration.provider_id == provider_id)
    newest = (
        select(func.max(other.consumer_version_order))
        .where(other.provider_id == provider_id, other.consumer_id == lpp.consumer_id)
        .correlate(lpp)
        .scalar_subquery()
    )
    rows = session.execute(
        select(lpp.pact_version_id, func.max(lpp.consumer_version_id))
        .where(
            lpp.provider_id == provider_id,
            lpp.consumer_version_id.in_(_head_versions(consumers))
            | (lpp.consumer_version_order == newest),
        )
        .group_by(lpp.pact_version_id)
    ).all()
    return [(int(pact), int(version)) for pact, version in rows]


def contracts_to_compare(
    session: Session, provider_id: int
) -> Sequence[ProviderContractPublication]:
    """The provider contract publications of the provider's head versions and of its newest
    version that has one."""
    pcp = ProviderContractPublication
    heads = _head_versions([provider_id])
    newest = (
        select(pcp.id)
        .join(Version, Version.id == pcp.provider_version_id)
        .where(pcp.provider_id == provider_id)
        .order_by(Version.order.desc())
        .limit(1)
        .scalar_subquery()
    )
    return session.scalars(
        select(pcp).where(
            pcp.provider_id == provider_id,
            (pcp.provider_version_id.in_(heads)) | (pcp.id == newest),
        )
    ).all()
