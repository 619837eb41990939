"""What runs in each environment now, ranked by application name in the database, so a page
reads only the residents it shows.

The environments pages list residents by ``name.lower()`` (Python's order: Unicode lowering,
code point comparison), which neither database's ``ORDER BY lower(name)`` reproduces in
general: SQLite lowers only ASCII, PostgreSQL lowers and compares by its collation. For names
made only of ASCII characters all three agree once PostgreSQL is told to lower and compare as
``"C"``: A-Z become a-z and strings compare by code point. So the statement ranks each
environment's residents by that order in the database and returns only the ranks shown; an
environment where some resident's name has a character beyond ASCII returns every resident,
and the caller orders them in Python exactly as before. Either way the caller sorts what it
gets by ``(name.lower(), released)`` over rows in their recorded order, so the page is the
same; only the work differs (450 residents at the benchmark's full size, 30 shown).
"""

from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Subquery

from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    Pacticipant,
    ReleasedVersion,
)
from accord_broker.db.types import UtcDateTime
from accord_broker.domain.limits import COUNT_MAX

FROM_RANK: BindParameter[int] = bindparam("from_rank", type_=Integer)
"""The first rank returned (1-based)."""
TO_RANK: BindParameter[int] = bindparam("to_rank", type_=Integer)
"""The last rank returned."""


class ascii_lower(FunctionElement[str]):  # noqa: N801 - a SQL function, named like one
    """``lower(name)`` lowering only A-Z and comparing by code point on both databases."""

    type = String()
    inherit_cache = True


class beyond_ascii(FunctionElement[bool]):  # noqa: N801 - a SQL function, named like one
    """Whether ``name`` has a character beyond ASCII (more bytes than characters)."""

    type = Boolean()
    inherit_cache = True


@compiles(ascii_lower)
def _lower_c(element: ascii_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f'lower({compiler.process(element.clauses, **kw)} COLLATE "C")'


@compiles(ascii_lower, "sqlite")
def _lower_sqlite(element: ascii_lower, compiler: SQLCompiler, **kw: Any) -> str:
    # without ICU (never loaded by the broker) SQLite lowers only A-Z and compares bytes
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(beyond_ascii)
def _beyond_octets(element: beyond_ascii, compiler: SQLCompiler, **kw: Any) -> str:
    name = compiler.process(element.clauses, **kw)
    return f"(octet_length({name}) <> char_length({name}))"


@compiles(beyond_ascii, "sqlite")
def _beyond_sqlite(element: beyond_ascii, compiler: SQLCompiler, **kw: Any) -> str:
    name = compiler.process(element.clauses, **kw)
    return f"(length(CAST({name} AS BLOB)) <> length({name}))"


def _current(environment_id: Any = None, *where: ColumnElement[bool]) -> Subquery:
    """Every current deployment (released 0) and supported release (1) with its application's
    name: (environment id, name, released, version id, since, instance, id); only those in
    ``environment_id`` and matching ``where`` (over ``Pacticipant``) when given, filtered in
    each part so that each reads its environment's index, not every resident."""
    parts = []
    for released, record, ended in (
        (0, DeployedVersion, DeployedVersion.undeployed_at),
        (1, ReleasedVersion, ReleasedVersion.support_ended_at),
    ):
        instance: Any = null() if released else DeployedVersion.application_instance
        query = (
            select(
                record.environment_id.label("environment_id"),
                Pacticipant.name.label("name"),
                literal(released, Integer).label("released"),
                record.version_id.label("version_id"),
                record.created_at.label("since"),
                instance.label("instance"),
                record.id.label("id"),
            )
            .join(Pacticipant, Pacticipant.id == record.pacticipant_id)
            .where(ended.is_(None), *where)
        )
        if environment_id is not None:
            query = query.where(record.environment_id == environment_id)
        parts.append(query)
    return union_all(*parts).subquery("current_residents")


_UNUSUAL = exists().where(beyond_ascii(Pacticipant.name))
"""Whether some application's name has a character beyond ASCII (then only Python orders the
residents as the pages do; a scan of the names, a few microseconds)."""


def shown_residents(environment_id: Any = None, *where: ColumnElement[bool]) -> Select[Any]:
    """The current residents (of ``environment_id`` and matching ``where``, over
    ``Pacticipant``, when given) that a page from rank ``FROM_RANK`` to ``TO_RANK`` of each
    environment shows: ranked by name, then deployments before releases, newest first (the
    pages' order, for ASCII names); every one when some name is one only Python orders."""
    current = _current(environment_id, *where)
    rank = func.row_number().over(
        partition_by=current.c.environment_id,
        order_by=(
            ascii_lower(current.c.name),
            current.c.released,
            current.c.since.desc(),
            current.c.id.desc(),
        ),
    )
    ranked = select(*current.c, rank.label("rank")).subquery("ranked_residents")
    return select(*ranked.c).where(or_(ranked.c.rank.between(FROM_RANK, TO_RANK), _UNUSUAL))


def page_of_residents(environment_id: Any, *where: ColumnElement[bool]) -> Select[Any]:
    """``shown_residents`` of one environment: its residents (matching ``where``) from rank
    ``FROM_RANK`` to ``TO_RANK``, cut by ``ORDER BY`` with ``OFFSET`` and ``LIMIT`` in the
    same order (every one when some name is one only Python orders).

    The same rows as ranking them all with ``row_number``: the order is total (the id ends
    it). One environment needs no partition, and SQLite's window function cost more than
    reading the residents (0.45 of 0.8 ms for production's 250 at full size, issue #20); a
    sort cut at the page keeps only the page's rows."""
    current = _current(environment_id, *where)
    everyone = literal(COUNT_MAX, Integer)
    return (
        select(*current.c)
        .order_by(
            ascii_lower(current.c.name),
            current.c.released,
            current.c.since.desc(),
            current.c.id.desc(),
        )
        .limit(case((_UNUSUAL, everyone), else_=TO_RANK - FROM_RANK + 1))
        .offset(case((_UNUSUAL, 0), else_=FROM_RANK - 1))
    )


def residents_count(environment_id: Any, *where: ColumnElement[bool]) -> Any:
    """How many run in the environment now (those matching ``where``, over ``Pacticipant``):
    two counts along the current-residents indexes, not a pass over every resident."""
    counts = []
    for record, ended in (
        (DeployedVersion, DeployedVersion.undeployed_at),
        (ReleasedVersion, ReleasedVersion.support_ended_at),
    ):
        query: Any = (
            select(func.count())
            .select_from(record)
            .where(record.environment_id == environment_id, ended.is_(None))
        )
        if where:
            query = query.join(Pacticipant, Pacticipant.id == record.pacticipant_id).where(*where)
        counts.append(query.scalar_subquery())
    return counts[0] + counts[1]


ENVIRONMENT: BindParameter[str] = bindparam("environment", type_=String)
"""The environment's name, for ``environment_residents``."""
PACTICIPANT: BindParameter[str] = bindparam("pacticipant", type_=String)
"""The one application whose residencies ``environment_residents`` lists, when asked."""
REACH: BindParameter[int] = bindparam("reach", type_=Integer)
"""How many ended deployments, and as many ended releases, ``environment_residents`` reads."""
NOW, ENDED_DEPLOYMENTS, ENDED_RELEASES = range(3)
"""The parts of an environment's rows: residents now, ended deployments, ended releases."""


@cache
def environment_cards() -> Select[Any]:
    """Every environment (production first, then by name) with how many run there now and the
    residents its card shows (ranks ``FROM_RANK`` to ``TO_RANK``, every one where only Python
    can order them) in their recorded order: deployments then releases, newest first. One
    statement built once: the page read every resident of every environment in two.

    (The versions' labels are a statement of their own, bound by id: folded in here, behind
    the ranking, PostgreSQL could not tell how few versions are shown and read every version
    and every branch of them to join them.)"""
    environments = (
        select(
            Environment.id,
            Environment.name,
            Environment.display_name,
            Environment.uuid,
            Environment.production,
            residents_count(Environment.id).label("total"),
        )
        .offset(0)  # counted once per environment, not once per resident joined below
        .subquery("cards")
    )
    shown = shown_residents().subquery("shown_residents")
    return (
        select(
            *environments.c,
            shown.c.name,
            shown.c.version_id,
            shown.c.since,
            shown.c.instance,
            shown.c.released,
        )
        .select_from(environments)
        .outerjoin(shown, shown.c.environment_id == environments.c.id)
        .order_by(
            environments.c.production.desc(),
            environments.c.name,
            shown.c.released,
            shown.c.since.desc(),
            shown.c.id.desc(),
        )
    )


@cache
def environment_residents(*, one_pacticipant: bool) -> Select[Any]:
    """One environment (named ``environment``) with how many run there now, and its
    residencies, each row tagged ``part``: ``NOW`` the ranks ``FROM_RANK`` to ``TO_RANK``
    of what runs there now (every one when only Python can order them), in their recorded
    order (deployments then releases, newest first); ``ENDED_DEPLOYMENTS`` and
    ``ENDED_RELEASES`` the newest ``REACH`` of each. Only ``pacticipant``'s when
    ``one_pacticipant``. No row at all when there is no such environment; one with nulls
    after the environment's columns when nothing was ever there.

    One statement built once: the page was six (the environment, current and ended
    deployments and releases read whole or to their limit), each costing SQLAlchemy's
    per-statement Python, and every current resident was read to show fifty."""
    environment_id = select(Environment.id).where(Environment.name == ENVIRONMENT).scalar_subquery()
    only = [Pacticipant.name == PACTICIPANT] if one_pacticipant else []
    now = page_of_residents(environment_id, *only).subquery("shown_residents")
    parts: list[Select[Any]] = [
        select(
            literal(NOW, Integer).label("part"),
            now.c.name,
            now.c.released,
            now.c.version_id,
            now.c.since,
            cast(null(), UtcDateTime()).label("until"),
            now.c.instance,
            now.c.id,
        )
    ]
    ended_parts: Any = (
        (ENDED_DEPLOYMENTS, DeployedVersion, DeployedVersion.undeployed_at),
        (ENDED_RELEASES, ReleasedVersion, ReleasedVersion.support_ended_at),
    )
    for part, record, ended in ended_parts:
        instance = record.application_instance if part == ENDED_DEPLOYMENTS else null()
        newest = (
            select(
                Pacticipant.name,
                record.version_id,
                record.created_at,
                ended,
                instance.label("instance"),
                record.id,
            )
            .join(Pacticipant, Pacticipant.id == record.pacticipant_id)
            .where(record.environment_id == environment_id, ended.is_not(None), *only)
            .order_by(record.created_at.desc(), record.id.desc())
            .limit(REACH)
            .subquery()
        )
        released = literal(int(part == ENDED_RELEASES), Integer)
        parts.append(select(literal(part, Integer), newest.c[0], released, *newest.c[1:]))
    residents = union_all(*parts).subquery("residents")
    environment = (
        select(
            Environment.id,
            Environment.name,
            Environment.display_name,
            Environment.uuid,
            Environment.production,
            residents_count(Environment.id, *only).label("total"),
        )
        .where(Environment.name == ENVIRONMENT)
        .offset(0)  # counted once, not once per residency joined below
        .subquery("environment")
    )
    query: Select[Any] = (
        select(*environment.c, *list(residents.c))
        .select_from(environment)
        .outerjoin(residents, true())
        .order_by(
            residents.c.part,
            residents.c.released,
            residents.c.since.desc(),
            residents.c.id.desc(),
        )
    )
    return query
