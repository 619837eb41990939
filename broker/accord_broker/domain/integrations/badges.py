"""What the badges show: a pact line's status and whether a version may be deployed.

Read functions over the request's unit of work; ``api/badges.py`` only draws what they return.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import Tag
from accord_broker.domain import matrix
from accord_broker.domain.deployments.environments import find_environment_by_name
from accord_broker.domain.integrations.integration_status import LineStatus, line_status
from accord_broker.domain.matrix import MatrixOptions, MatrixQuery, UnresolvedSelector
from accord_broker.domain.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Deployability:
    """A can-i-deploy badge's answer: ``deployable`` is None when ``subject`` names what is
    missing (the version, branch or environment), so the badge is grey."""

    subject: str
    deployable: bool | None


def pact_line_status(
    uow: UnitOfWork,
    consumer: str,
    provider: str,
    *,
    tag: str | None = None,
    branch: str | None = None,
    untagged: bool = False,
    provider_tag: str | None = None,
) -> LineStatus:
    """The status of a consumer's pacts with a provider (see ``integration_status.line_status``)."""
    with uow.read() as session:
        return line_status(
            session,
            consumer,
            provider,
            tag=tag,
            branch=branch,
            untagged=untagged,
            provider_tag=provider_tag,
        )


def tag_deployability(uow: UnitOfWork, pacticipant: str, tag: str, to: str) -> Deployability:
    """May the latest ``tag`` version of ``pacticipant`` go where the ``to`` tag is?"""
    query = MatrixQuery(
        (UnresolvedSelector(pacticipant=pacticipant, tag=tag, latest=True),),
        MatrixOptions(latestby="cvp", tag=to, latest=True, limit=None),
    )
    with uow.read() as session:
        owner = matrix.pacticipant_named(session, pacticipant)
        if owner is None or not _has_tagged_version(session, owner.id, tag):
            return Deployability("version not found", None)
        deployable = matrix.answer(session, query).verdict.deployable
    return Deployability(f"{tag} to {to}", bool(deployable))


def branch_deployability(
    uow: UnitOfWork, pacticipant: str, branch: str, environment: str
) -> Deployability:
    """May the head of ``branch`` of ``pacticipant`` be deployed to ``environment``?"""
    with uow.read() as session:
        if find_environment_by_name(session, environment) is None:
            return Deployability("environment not found", None)
        owner = matrix.pacticipant_named(session, pacticipant)
        if owner is None or matrix.branch_head(session, owner, branch) is None:
            return Deployability("branch version not found", None)
        query = MatrixQuery(
            (UnresolvedSelector(pacticipant=pacticipant, branch=branch, latest=True),),
            MatrixOptions(latestby="cvpv", environment=environment, limit=None),
        )
        deployable = matrix.answer(session, query).verdict.deployable
    return Deployability(f"{branch} to {environment}", bool(deployable))


def _has_tagged_version(session: Session, pacticipant_id: int, tag: str) -> bool:
    found = session.execute(
        select(Tag.id).where(Tag.pacticipant_id == pacticipant_id, Tag.name == tag).limit(1)
    ).first()
    return found is not None
