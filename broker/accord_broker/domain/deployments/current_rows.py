"""The statements behind ``…/currently-deployed`` and ``…/currently-supported``.

An environment's current records are listed with what their resources show (the version's
number, its pacticipant's name and display name) in one statement of plain rows. Issue #20:
they were read as entities, then their versions with their pacticipants as entities in a
second statement (150 current releases: 300 entities to build, and 12 ms of a 12 ms answer
with their rendering). Built once per kind and filter, bound by value.
"""

from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, literal, select

from accord_broker.db.models import DeployedVersion, Environment, Pacticipant, Version
from accord_broker.domain.deployments.deployments import DEPLOYED, RELEASED, KindName

_KINDS = {DEPLOYED.name: DEPLOYED, RELEASED.name: RELEASED}


@cache
def current_statement(
    kind_name: KindName, by_pacticipant: bool, by_version: bool, by_instance: bool
) -> Select[Any]:
    """The current records of the environment ``:uuid``, newest first, as rows of ``(uuid,
    created at, updated at, ended at, application instance, pacticipant name, pacticipant
    display name, version number)``; narrowed to the pacticipant ``:pacticipant``, the version
    number ``:version`` and (deployments) the instance target ``:target`` when asked."""
    kind = _KINDS[kind_name]
    model = kind.model
    ended: ColumnElement[Any] = getattr(model, kind.ended_field)
    instance: Any = (
        DeployedVersion.application_instance if kind.per_instance else literal(None, String)
    )
    environment_id = (
        select(Environment.id).where(Environment.uuid == bindparam("uuid")).scalar_subquery()
    )
    query = (
        select(
            model.uuid,
            model.created_at,
            model.updated_at,
            ended,
            instance,
            Pacticipant.name,
            Pacticipant.display_name,
            Version.number,
        )
        .join(Version, Version.id == model.version_id)
        .join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
        .where(model.environment_id == environment_id, ended.is_(None))
        .order_by(model.created_at.desc(), model.id.desc())
    )
    if by_pacticipant:
        query = query.where(Pacticipant.name == bindparam("pacticipant", type_=String))
    if by_version:
        query = query.where(Version.number == bindparam("version", type_=String))
    if by_instance:
        query = query.where(DeployedVersion.target_for_index == bindparam("target", type_=String))
    return query
