"""What the pacticipant page shows about its versions, read in one statement.

A page of versions shows each version's number, branches and tags, how its pacts and results
stand, and every environment it is or was in; the integrations beside it show the numbers and
chips of their newest pacts' and results' versions. Those were four statements (labels, the
pacts' newest results, the results a version published, its stays), each costing
SQLAlchemy's per-statement Python (~0.15 ms), more than SQLite spent answering it. Here they
are the parts of one ``UNION ALL``, built once per process, reading the rows they read
(``version_chips.version_labels``, ``version_status.verification_statements`` and the stays of
the versions, deployments then releases, each in the order recorded).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Integer,
    String,
    bindparam,
    cast,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    BranchVersion,
    DeployedVersion,
    Environment,
    ReleasedVersion,
    Tag,
    Version,
)
from accord_broker.db.types import UtcDateTime
from accord_broker.domain.deployments.environment_overview import Stay
from accord_broker.domain.id_lists import among, id_list
from accord_broker.domain.integrations.version_chips import VersionLabel
from accord_broker.domain.versions.version_status import (
    VersionVerification,
    verification_statements,
)

_LABELLED = id_list("labelled")
"""The versions whose numbers, branches and tags are shown (one bound list: ``id_lists``)."""
_SHOWN: Any = bindparam("shown", expanding=True)
"""The page's own versions, whose verification and environments are shown too."""
_NUMBER, _BRANCH, _TAG, _PACT, _VERIFIED, _DEPLOYED, _RELEASED = range(7)


@dataclass(frozen=True, slots=True)
class VersionFacts:
    labels: dict[int, VersionLabel]
    """Every labelled version that exists, by id."""
    verifications: dict[int, VersionVerification]
    """The shown versions with any pact or result."""
    stays: dict[int, list[Stay]]
    """Every shown version: the environments it is or was in, newest first."""


def _part(part: int, version_id: Any, text: Any, position: Any, **more: Any) -> Any:
    """One part's row: (part, version id, text, instance, first, second, since, until,
    position), the columns it has no use for null."""
    return select(
        literal(part).label("part"),
        version_id.label("version_id"),
        text.label("text"),
        more.get("instance", type_coerce(null(), String())).label("instance"),
        more.get("first", cast(null(), Integer())).label("first"),
        more.get("second", cast(null(), Integer())).label("second"),
        more.get("since", cast(null(), UtcDateTime())).label("since"),
        more.get("until", cast(null(), UtcDateTime())).label("until"),
        position.label("position"),
    )


@cache
def _statement() -> CompoundSelect[Any]:
    """The parts, in order: numbers, branches (in the order they were put on), tags (in the
    order added), the newest result of each pact (success), the results each version
    published (passed, failed), deployments and releases (in the order recorded)."""
    pacts, verified = (query.subquery() for query in verification_statements(_SHOWN))
    parts = [
        _part(_NUMBER, Version.id, Version.number, literal(0)).where(among(Version.id, _LABELLED)),
        _part(_BRANCH, BranchVersion.version_id, BranchVersion.branch_name, BranchVersion.id).where(
            among(BranchVersion.version_id, _LABELLED)
        ),
        _part(_TAG, Tag.version_id, Tag.name, Tag.id).where(among(Tag.version_id, _LABELLED)),
        _part(
            _PACT,
            pacts.c[0],
            null(),
            literal(0),
            first=cast(pacts.c[1], Integer),
        ).select_from(pacts),
        _part(
            _VERIFIED, verified.c[0], null(), literal(0), first=verified.c[1], second=verified.c[2]
        ).select_from(verified),
    ]
    placed: Any = (
        (_DEPLOYED, DeployedVersion, DeployedVersion.undeployed_at),
        (_RELEASED, ReleasedVersion, ReleasedVersion.support_ended_at),
    )
    for part, record, until in placed:
        instance = {"instance": record.application_instance} if part == _DEPLOYED else {}
        parts.append(
            _part(
                part,
                record.version_id,
                Environment.name,
                record.id,
                since=record.created_at,
                until=until,
                **instance,
            )
            .join(Environment, Environment.id == record.environment_id)
            .where(record.version_id.in_(_SHOWN))
        )
    return union_all(*parts).order_by("part", "position")


def version_facts(session: Session, labelled: Iterable[int], shown: list[int]) -> VersionFacts:
    """The labels of ``labelled`` (and of ``shown``), the verification and the stays of
    ``shown``: one statement, none when there is nothing to show."""
    ids = sorted(set(labelled) | set(shown))
    stays: dict[int, list[Stay]] = {vid: [] for vid in shown}
    if not ids:
        return VersionFacts({}, {}, stays)
    numbers: dict[int, str] = {}
    chips: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # on the session's connection (Core): plain rows, without the ORM's statement handling
    rows = session.connection().execute(_statement(), {"labelled": ids, "shown": shown}).all()
    for part, vid, text, instance, first, second, since, until, _ in rows:
        if part == _NUMBER:
            numbers[vid] = text
        elif part in (_BRANCH, _TAG):
            chips[vid][part - _BRANCH].append(text)
        elif part == _PACT:
            key = "unverified" if first is None else ("passed" if first else "failed")
            counts[int(vid)][f"pacts_{key}"] += 1
        elif part == _VERIFIED:
            counts[int(vid)]["verified_passed"] += int(first or 0)
            counts[int(vid)]["verified_failed"] += int(second or 0)
        else:
            released = part == _RELEASED
            stays[int(vid)].append(Stay(text, released, since, until, instance))
    for entries in stays.values():
        entries.sort(key=lambda r: r.since, reverse=True)
    labels = {
        vid: VersionLabel(numbers[vid], tuple(chips[vid][0]), tuple(chips[vid][1]))
        for vid in ids
        if vid in numbers
    }
    verifications = {vid: VersionVerification(**counts[vid]) for vid in shown if vid in counts}
    return VersionFacts(labels, verifications, stays)
