"""Deployed and released versions as the API renders them: frozen read models by name.

The routes name a pacticipant, a version number, an environment uuid or a record uuid; these
functions find the rows, run the rule in :mod:`.deployments` and hand back
:class:`PlacementView`s, so the HAL renderer reads plain values and no stored record.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from accord_broker.domain.deployments import deployments
from accord_broker.domain.deployments.current_rows import current_statement
from accord_broker.domain.deployments.deployments import ANY_INSTANCE, Kind, Placement
from accord_broker.domain.deployments.environments import (
    EnvironmentView,
    environment_view,
    get_environment,
)
from accord_broker.domain.deployments.environments import (
    view_of as environment_view_of,
)
from accord_broker.domain.versions.versions import get_version


@dataclass(frozen=True, slots=True)
class PlacementView:
    """One deployed or released version: its record's fields, its version and environment."""

    kind: Kind
    uuid: str
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    """When it was undeployed / its support ended; ``None`` while current."""
    application_instance: str | None
    pacticipant: str
    pacticipant_display_name: str | None
    version: str
    environment: EnvironmentView


@dataclass(frozen=True, slots=True)
class PlacementsOfVersion:
    """Every record of one version in one environment, with what their collection's title names."""

    pacticipant_display_name: str | None
    environment: EnvironmentView
    placements: tuple[PlacementView, ...]


def view_of(placement: Placement) -> PlacementView:
    """The read model of a placement (no statement: its version, pacticipant and environment
    are loaded with it)."""
    record, version = placement.record, placement.version
    return PlacementView(
        kind=placement.kind,
        uuid=record.uuid,
        created_at=record.created_at,
        updated_at=record.updated_at,
        ended_at=placement.ended_at,
        application_instance=placement.application_instance,
        pacticipant=version.pacticipant.name,
        pacticipant_display_name=version.pacticipant.display_name,
        version=version.number,
        environment=environment_view_of(placement.environment),
    )


def record_placement(
    session: Session,
    kind: Kind,
    pacticipant: str,
    number: str,
    environment_uuid: str,
    *,
    application_instance: str | None,
) -> tuple[PlacementView, bool]:
    """Record the version as deployed/released to the environment; ``True`` when new."""
    version = get_version(session, pacticipant, number)
    environment = get_environment(session, environment_uuid)
    placement, created = deployments.record(
        session, kind, version, environment, application_instance
    )
    return view_of(placement), created


def placements_of_version(
    session: Session, kind: Kind, pacticipant: str, number: str, environment_uuid: str
) -> PlacementsOfVersion:
    """Every record (current or ended) of the version in the environment, newest first."""
    version = get_version(session, pacticipant, number)
    environment = get_environment(session, environment_uuid)
    found = deployments.of_version(session, kind, version, environment)
    return PlacementsOfVersion(
        pacticipant_display_name=version.pacticipant.display_name,
        environment=environment_view_of(environment),
        placements=tuple(view_of(p) for p in found),
    )


def current_placements(
    session: Session,
    kind: Kind,
    environment_uuid: str,
    *,
    pacticipant: str | None = None,
    version: str | None = None,
    application_instance: object = ANY_INSTANCE,
) -> tuple[EnvironmentView, list[PlacementView]]:
    """The environment and its current records, newest first: two statements, the records
    read as rows with their versions' numbers and pacticipants (:mod:`.current_rows`), every
    view sharing the one environment view.

    ``pacticipant`` narrows to one application, ``version`` to one version number;
    ``application_instance`` (``None`` meaning "deployed without an instance") narrows
    deployments to one instance, as ``record-undeployment`` asks.
    """
    environment = environment_view(session, environment_uuid)
    instance = None
    if kind.per_instance and application_instance is not ANY_INSTANCE:
        instance = application_instance if isinstance(application_instance, str) else ""
    statement = current_statement(
        kind.name, pacticipant is not None, version is not None, instance is not None
    )
    params = {
        "uuid": environment_uuid,
        "pacticipant": pacticipant,
        "version": version,
        "target": instance,
    }
    return environment, [
        PlacementView(
            kind, uuid, created, updated, ended, app_instance, name, shown, number, environment
        )
        for uuid, created, updated, ended, app_instance, name, shown, number in session.execute(
            statement, params
        )
    ]


def placement_view(session: Session, kind: Kind, uuid: str) -> PlacementView:
    """The record with ``uuid``, or a 404."""
    return view_of(deployments.get(session, kind, uuid))


def set_placement_current(session: Session, kind: Kind, uuid: str, value: object) -> PlacementView:
    """A merge-patch of the record's flag: ``False`` ends it; anything else is refused."""
    placement = deployments.set_current(session, deployments.get(session, kind, uuid), value)
    return view_of(placement)
