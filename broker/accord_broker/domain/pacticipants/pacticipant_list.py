"""The pacticipants page: every application with its main branch, labels, latest version and
how many integrations it has, in a fixed number of statements (no per-row lookups), one page at
a time (the page's latest versions and labels are looked up for that page only).
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    BranchVersion,
    Environment,
    Integration,
    Label,
    Pacticipant,
    Version,
)
from accord_broker.domain.integrations.overview import VersionLabel
from accord_broker.domain.integrations.version_chips import page_chips


@dataclass(frozen=True, slots=True)
class PacticipantRow:
    name: str
    display_name: str | None
    main_branch: str | None
    labels: list[str]
    latest_version: VersionLabel | None
    integrations: int


@dataclass(frozen=True, slots=True)
class PacticipantList:
    rows: list[PacticipantRow]
    label: str | None = None
    labels: list[str] = field(default_factory=list)
    """Every label in use, for the filter."""
    total: int = 0
    """Pacticipants (labelled ``label`` when given) on every page."""
    page: int = 1
    page_size: int | None = None

    @property
    def pages(self) -> int:
        if not self.page_size:
            return 1
        return max(1, -(-self.total // self.page_size))


_LABEL: BindParameter[str] = bindparam("label", type_=String)
_LIMIT: BindParameter[int] = bindparam("limit", type_=Integer)
_OFFSET: BindParameter[int] = bindparam("offset", type_=Integer)


@cache
def _statements(*, labelled: bool, paged: bool) -> tuple[Select[Any], Select[Any]]:
    """The page (bound: label, limit, offset) and the count, built once: building the
    correlated subqueries on every view cost as much Python as running them. A page carries
    the count of all on each row (``count(*) OVER ()``, counted before the page is cut): the
    count alone is asked only for a page past the end, which has no row to carry it."""
    newest = (
        select(Version.id)
        .where(Version.pacticipant_id == Pacticipant.id)
        .order_by(Version.order.desc())
        .limit(1)
        .correlate(Pacticipant)
        .scalar_subquery()
    )
    integrations = (
        select(func.count())
        .select_from(Integration)
        .where(
            or_(
                Integration.consumer_id == Pacticipant.id,
                Integration.provider_id == Pacticipant.id,
            )
        )
        .correlate(Pacticipant)
        .scalar_subquery()
    )
    query = select(
        Pacticipant.name,
        Pacticipant.display_name,
        Pacticipant.main_branch,
        newest,
        integrations,
        Pacticipant.id,
    ).order_by(func.lower(Pacticipant.name))
    counted = select(func.count()).select_from(Pacticipant)
    if labelled:
        carries = (
            select(Label.id)
            .where(Label.pacticipant_id == Pacticipant.id, Label.name == _LABEL)
            .exists()
        )
        query, counted = query.where(carries), counted.where(carries)
    if paged:
        query = (
            query.add_columns(func.count().over())
            .order_by(Pacticipant.id)
            .limit(_LIMIT)
            .offset(_OFFSET)
        )
    return query, counted


def load_pacticipant_list(
    session: Session,
    label: str | None = None,
    *,
    page: int = 1,
    page_size: int | None = None,
) -> PacticipantList:
    """Pacticipants by name (only those labelled ``label`` when given): all of them, or the
    ``page``-th page of ``page_size`` when a size is given. Two statements: the page (with the
    count of all when paged), and the page's labels and newest versions with every label name
    (and the count alone for a page past the end)."""
    page = max(1, page)
    query, counted = _statements(labelled=bool(label), paged=page_size is not None)
    params: dict[str, Any] = {"label": label}
    if page_size is not None:
        params |= {"limit": page_size, "offset": (page - 1) * page_size}
    connection = session.connection()  # Core: plain rows, no ORM statement handling
    found = connection.execute(query, params).all()
    total = len(found)
    if page_size is not None:
        total = int(found[0][-1] if found else connection.execute(counted, params).scalar_one())
    chips = page_chips(
        session,
        [int(row[3]) for row in found if row[3] is not None],
        [int(row[5]) for row in found],
        placements=False,
        environments=False,
        own_labels=True,
    )
    rows = [
        PacticipantRow(
            name,
            display,
            main,
            chips.own_labels.get(int(pid), []),
            chips.labels.get(int(vid)) if vid is not None else None,
            int(count or 0),
        )
        for name, display, main, vid, count, pid, *_ in found
    ]
    return PacticipantList(rows, label or None, chips.label_names, total, page, page_size)


_ASKED: BindParameter[str] = bindparam("pacticipant", type_=String)
_NAMES, _ENVIRONMENTS, _BRANCHES = range(3)


@dataclass(frozen=True, slots=True)
class DeployFormChoices:
    """What the can-i-deploy form offers: every pacticipant (by ``lower`` name), every
    environment (by name) and the branches of the asked pacticipant's newest version."""

    pacticipants: list[str]
    environments: list[str]
    branches: list[str]


@cache
def _choices() -> CompoundSelect[Any]:
    """The form's three lists in one statement (bound: ``pacticipant``): they were four
    statements, each costing SQLAlchemy's per-statement Python. Each part keeps its own
    order: by ``lower(name)``, by name, and branches in the order they were put on."""
    newest = (
        select(Version.id)
        .join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
        .where(Pacticipant.name == _ASKED)
        .order_by(Version.order.desc())
        .limit(1)
        .scalar_subquery()
    )
    no_position = cast(null(), Integer())
    return union_all(
        select(
            literal(_NAMES, Integer).label("part"),
            Pacticipant.name.label("name"),
            func.lower(Pacticipant.name).label("key"),
            no_position.label("position"),
        ),
        select(literal(_ENVIRONMENTS, Integer), Environment.name, Environment.name, no_position),
        select(
            literal(_BRANCHES, Integer),
            BranchVersion.branch_name,
            cast(null(), String()),
            BranchVersion.id,
        ).where(BranchVersion.version_id == newest),
    ).order_by("part", "key", "position")


def deploy_form_choices(session: Session, pacticipant: str) -> DeployFormChoices:
    """The can-i-deploy form's choices, the branches those of ``pacticipant``'s newest
    version (none when there is no such pacticipant or it has no versions)."""
    found: dict[int, list[str]] = {_NAMES: [], _ENVIRONMENTS: [], _BRANCHES: []}
    for part, name, _, _ in session.execute(_choices(), {"pacticipant": pacticipant}):
        found[part].append(name)
    return DeployFormChoices(found[_NAMES], found[_ENVIRONMENTS], found[_BRANCHES])
