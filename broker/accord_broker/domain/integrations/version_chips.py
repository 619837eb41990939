"""What a page shows beside a version: its number, branches and tags, and what runs where.

The index, the pacticipant page, the pacticipant list, the network and the verification page
all label versions and placements for a page of rows at once; each is one statement for the
whole page (a ``UNION ALL`` of its parts), because three statements cost three times
SQLAlchemy's per-statement Python, which was more than SQLite spent answering them.
``page_chips`` reads, for the index and the pacticipants page, all that they show beside
their rows in one such statement.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    cast,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from accord_broker.db.models import (
    BranchVersion,
    DeployedVersion,
    Environment,
    Label,
    ReleasedVersion,
    Tag,
    Version,
)
from accord_broker.db.types import UtcDateTime
from accord_broker.domain.id_lists import among, id_list

_IDS = id_list("ids")
"""The versions to label: one bound list (``id_lists``). The statements here run on the
session's connection (Core): their rows are plain tuples, and the ORM's statement handling
cost up to a tenth of a millisecond a statement (issue #20)."""


@dataclass(frozen=True, slots=True)
class VersionLabel:
    """A version as the index shows it: its number with its branches and tags."""

    number: str
    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Placement:
    """A version currently deployed to (or released and supported in) an environment."""

    environment: str
    version: str
    released: bool = False
    application_instance: str | None = None


_VERSION_LABEL_PARTS = union_all(
    select(
        literal(0).label("part"),
        Version.id.label("version_id"),
        Version.number.label("text"),
        literal(0).label("position"),
    ).where(among(Version.id, _IDS)),
    select(literal(1), BranchVersion.version_id, BranchVersion.branch_name, BranchVersion.id).where(
        among(BranchVersion.version_id, _IDS)
    ),
    select(literal(2), Tag.version_id, Tag.name, Tag.id).where(among(Tag.version_id, _IDS)),
).order_by("part", "position")
"""The versions' numbers (part 0), branches (1) and tags (2), each in the order it was made."""


def version_labels(session: Session, version_ids: Iterable[int]) -> dict[int, VersionLabel]:
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    numbers: dict[int, str] = {}
    branches: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    rows = session.connection().execute(_VERSION_LABEL_PARTS, {"ids": ids}).all()
    for part, version_id, text, _ in rows:
        if part == 0:
            numbers[version_id] = text
        else:
            (branches if part == 1 else tags)[version_id].append(text)
    return {
        vid: VersionLabel(numbers[vid], tuple(branches[vid]), tuple(tags[vid]))
        for vid in ids
        if vid in numbers
    }


_PACTICIPANTS = id_list("pacticipants")
_NUMBER, _BRANCH, _TAG, _DEPLOYED, _RELEASED, _ENVIRONMENT, _LABEL, _OWN_LABEL = range(8)


def _part(part: int, key: Any, text: Any, **more: Any) -> Select[Any]:
    """One part's row: (part, key, text, number, instance, at, position), the columns it has
    no use for null."""
    return select(
        literal(part, Integer).label("part"),
        key.label("key"),
        text.label("text"),
        more.get("number", null()).label("number"),
        more.get("instance", null()).label("instance"),
        # ``at`` only orders the rows: read without converting each to a datetime
        type_coerce(more.get("at", cast(null(), UtcDateTime())), NullType()).label("at"),
        more.get("position", cast(null(), Integer())).label("position"),
    )


@cache
def _chips(*, placements: bool, environments: bool, own_labels: bool) -> CompoundSelect[Any]:
    """``version_labels`` of ``ids``, and as asked ``current_placements`` of ``pacticipants``,
    every environment name and the labels of ``pacticipants``, with every label name, in one
    statement: parts in order, each part by when, then by its position, then by its text (so
    the names come by name, as ``ORDER BY name`` gave)."""
    parts = [
        _part(_NUMBER, Version.id, Version.number).where(among(Version.id, _IDS)),
        _part(
            _BRANCH, BranchVersion.version_id, BranchVersion.branch_name, position=BranchVersion.id
        ).where(among(BranchVersion.version_id, _IDS)),
        _part(_TAG, Tag.version_id, Tag.name, position=Tag.id).where(among(Tag.version_id, _IDS)),
    ]
    records: Any = (
        (_DEPLOYED, DeployedVersion, DeployedVersion.undeployed_at),
        (_RELEASED, ReleasedVersion, ReleasedVersion.support_ended_at),
    )
    for part, record, ended in records if placements else ():
        instance = {"instance": record.application_instance} if part == _DEPLOYED else {}
        parts.append(
            _part(
                part,
                record.pacticipant_id,
                Environment.name,
                number=Version.number,
                at=record.created_at,
                position=record.id,
                **instance,
            )
            .join(Environment, Environment.id == record.environment_id)
            .join(Version, Version.id == record.version_id)
            .where(among(record.pacticipant_id, _PACTICIPANTS), ended.is_(None))
        )
    # a typed null: PostgreSQL types an untyped one as text for the DISTINCT, before the union
    no_key = cast(null(), Integer())
    if environments:
        parts.append(_part(_ENVIRONMENT, no_key, Environment.name))
    if own_labels:
        parts.append(
            _part(_OWN_LABEL, Label.pacticipant_id, Label.name).where(
                among(Label.pacticipant_id, _PACTICIPANTS)
            )
        )
    parts.append(_part(_LABEL, no_key, Label.name).distinct())
    return union_all(*parts).order_by("part", "at", "position", "text")


@dataclass(frozen=True, slots=True)
class PageChips:
    """What a page of integrations or pacticipants shows beside them (see ``page_chips``)."""

    labels: dict[int, VersionLabel]
    placements: dict[int, dict[str, list[Placement]]]
    environments: list[str]
    label_names: list[str]
    own_labels: dict[int, list[str]]
    """Pacticipant id → its labels, by name."""


def page_chips(
    session: Session,
    version_ids: Iterable[int],
    pacticipant_ids: Iterable[int],
    *,
    placements: bool = True,
    environments: bool = True,
    own_labels: bool = False,
) -> PageChips:
    """The versions' labels and every label name, with as asked the pacticipants'
    placements (as ``version_labels`` and ``current_placements`` give them), every
    environment's name and the pacticipants' labels, in one statement (the index made four,
    the pacticipants page three)."""
    ids = sorted(set(version_ids))
    numbers: dict[int, str] = {}
    branches: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    found: dict[int, dict[str, list[Placement]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, list[str]] = {_ENVIRONMENT: [], _LABEL: []}
    owned: dict[int, list[str]] = defaultdict(list)
    params = {"ids": ids, "pacticipants": sorted(set(pacticipant_ids))}
    statement = _chips(placements=placements, environments=environments, own_labels=own_labels)
    for part, key, text, number, instance, _, _ in session.connection().execute(statement, params):
        if part == _NUMBER:
            numbers[key] = text
        elif part == _BRANCH:
            branches[key].append(text)
        elif part == _TAG:
            tags[key].append(text)
        elif part in names:
            names[part].append(text)
        elif part == _OWN_LABEL:
            owned[key].append(text)
        else:
            released = part == _RELEASED
            found[key][text].append(
                Placement(text, number, released, None if released else instance)
            )
    labels = {
        vid: VersionLabel(numbers[vid], tuple(branches[vid]), tuple(tags[vid]))
        for vid in ids
        if vid in numbers
    }
    placed = {pid: dict(envs) for pid, envs in found.items()}
    return PageChips(labels, placed, names[_ENVIRONMENT], names[_LABEL], dict(owned))
