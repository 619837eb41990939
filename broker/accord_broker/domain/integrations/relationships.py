"""The consumer → provider relationships behind the Pact Broker's network graph.

The Pact Broker draws its network diagram from two CSV resources: ``/relationships`` (every
integration with a pact, across the broker) and ``/groups/{name}`` (the integrations connected
to one pacticipant, directly or through others). Both list pacticipants in order of first
appearance, each with the ids of the providers it consumes; this module computes those members
and the API renders them (:mod:`accord_broker.api.relationships`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from accord_broker.db.models import Integration, LatestPactPublication, Pacticipant
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.unit_of_work import Session


@dataclass(frozen=True, slots=True)
class Member:
    """A pacticipant of the graph: its id, name and the ids of the providers it consumes."""

    id: int
    name: str
    provider_ids: tuple[int, ...]


Edge = tuple[int, str, int, str]
"""consumer id, consumer name, provider id, provider name."""


def _edges(session: Session, *, with_pact_only: bool) -> Sequence[Edge]:
    """Every integration, by consumer then provider name (case-insensitive), as the Pact
    Broker sorts its latest pacts."""
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    query = (
        select(consumer.id, consumer.name, provider.id, provider.name)
        .select_from(Integration)
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
        .order_by(func.lower(consumer.name), func.lower(provider.name))
    )
    if with_pact_only:
        query = query.where(
            exists().where(
                LatestPactPublication.consumer_id == Integration.consumer_id,
                LatestPactPublication.provider_id == Integration.provider_id,
            )
        )
    return [(c_id, c_name, p_id, p_name) for c_id, c_name, p_id, p_name in session.execute(query)]


def _members(edges: Iterable[Edge]) -> list[Member]:
    """Pacticipants in order of first appearance (a consumer before its provider)."""
    members: dict[int, tuple[str, list[int]]] = {}
    for consumer_id, consumer_name, provider_id, provider_name in edges:
        members.setdefault(consumer_id, (consumer_name, []))
        members.setdefault(provider_id, (provider_name, []))
        members[consumer_id][1].append(provider_id)
    return [Member(pid, name, tuple(ids)) for pid, (name, ids) in members.items()]


def relationships(session: Session) -> list[Member]:
    """``/relationships``: every integration that has a pact, across the whole broker."""
    return _members(_edges(session, with_pact_only=True))


def group_containing(
    session: Session, pacticipant_name: str, *, max_pacticipants: int | None = None
) -> list[Member]:
    """``/groups/{name}``: the integrations connected to this pacticipant, directly or through
    others, found ring by ring outwards.

    With ``max_pacticipants`` the search stops after the first ring that reaches that many
    pacticipants (the Pact Broker's ``maxPacticipants``: its diagram stays readable), so the
    last ring's integrations are listed but not followed further. 404 when the pacticipant
    does not exist; a pacticipant without integrations is a group of none (an empty CSV)."""
    start = get_pacticipant(session, pacticipant_name)
    edges = _edges(session, with_pact_only=False)
    connected, ring = {start.id}, {start.id}
    chosen: set[int] = set()
    while ring:
        touching = [
            index
            for index, edge in enumerate(edges)
            if index not in chosen and (edge[0] in ring or edge[2] in ring)
        ]
        chosen.update(touching)
        reached = {pid for index in touching for pid in (edges[index][0], edges[index][2])}
        ring = reached - connected
        connected |= reached
        if max_pacticipants is not None and len(connected) >= max_pacticipants:
            break
    return _members(edge for index, edge in enumerate(edges) if index in chosen)
