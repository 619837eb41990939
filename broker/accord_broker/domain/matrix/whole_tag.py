"""A selector meaning every version with a tag, kept as one selector (issue #20).

``q[][tag]=dev`` without ``latest`` (what the UI's tag filter and many scripts send) means every
version of the pacticipant carrying the tag: thousands at a large company's history, where
every build is tagged. Resolved into one selector per version, each row statement bound one
id per version (2,500 for the scale benchmark's two ``dev`` tags: a third of SQLite's time
spent expanding them, and on PostgreSQL a generic plan reading every publication of the listed
versions). Beyond ``SMALL_TAG`` versions the tag is kept whole, as a large branch is
(``whole_branch``): the row statements walk the pacts newest first and test each row's
version against ``tags`` (``sides.member_of_tags``), bound as (pacticipant id, tag name)
pairs, and the decision names a row's version through ``tag_members``, exactly as it would
through one selector per version.

A tag of a few versions is resolved as before, its versions' ids bound: kept whole and read
through a subquery on ``tags``, SQLite's estimate of the rows it gives no longer made it index
the page's pacts for the join with their results (2 to 4 times the work of the bound ids for a
``latestby`` page), and the ids are at most ``SMALL_TAG``.
"""

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Tag, Version

SMALL_TAG = 200
"""On SQLite, up to this many versions, a tag resolves into one selector per version; beyond,
it is kept whole and its rows are read by walking the pacts newest first (as a branch beyond
``whole_branch.SMALL_BRANCH``)."""
SMALL_TAG_POSTGRESQL = 1
"""On PostgreSQL every tag of two or more versions is kept whole: the generic plan of a
statement bound a few hundred version ids read the publications of every one of them, so the
UI's ``prod`` filter grew with the tag (6.8 -> 13.7 ms in process from 10 % to full size, 2.0x;
kept whole, 6.5 -> 7.9 ms)."""


def small_tag(session: Session) -> int:
    """The size up to which a tag resolves per version on ``session``'s database."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    return SMALL_TAG_POSTGRESQL if postgresql else SMALL_TAG


@cache
def _versions_statement() -> Select[int, str]:
    """The tag's newest ``limit`` versions (index ``(pacticipant_id, name, version_order)``,
    the order ``resolve.versions_for_selector`` gives): never the whole of a large tag."""
    pacticipant: Any = bindparam("pacticipant_id")
    return (
        select(Tag.version_id, Version.number)
        .join(Version, Version.id == Tag.version_id)
        .where(Tag.pacticipant_id == pacticipant, Tag.name == bindparam("tag"))
        .order_by(Tag.version_order.desc())
        .limit(bindparam("limit", type_=Integer))
    )


def versions_with_tag(
    session: Session, pacticipant_id: int, tag: str
) -> tuple[list[tuple[int, str]], bool]:
    """(version id, number) of the versions with the tag, newest first, and whether there are
    more than ``small_tag`` of them: then the tag is kept whole, and only the newest
    ``small_tag + 1`` are read."""
    small = small_tag(session)
    params = {"pacticipant_id": pacticipant_id, "tag": tag, "limit": small + 1}
    rows = session.execute(_versions_statement(), params).all()
    return [(row[0], row[1]) for row in rows], len(rows) > small


@cache
def _members_statement() -> Select[int, str, int, str]:
    """The tags among ``names`` of each row's version, looked up by the version's id (unique
    ``(version_id, name)``): a version carries a few tags, so the pairs are told apart by the
    caller rather than by a condition the planner could drive from (every version with the
    tag, as the branch's lookup once did: ``whole_branch._members_statement``)."""
    return (
        select(Tag.pacticipant_id, Tag.name, Tag.version_id, Version.number)
        .join(Version, Version.id == Tag.version_id)
        .where(
            Tag.version_id.in_(bindparam("version_ids", expanding=True)),
            Tag.name.in_(bindparam("names", expanding=True)),
        )
    )


def tag_members(
    session: Session, tags: Iterable[tuple[int, str]], version_ids: Iterable[int]
) -> dict[tuple[int, str, str], int]:
    """Which of ``version_ids`` (the rows' versions) carry the tags ``tags`` ((pacticipant
    id, tag name) pairs): ``(pacticipant id, tag, number) -> version id``, one statement
    whatever the tag's size. The decision names a row's version through this as it would
    through one selector per version with the tag."""
    pairs = set(tags)
    wanted = sorted(set(version_ids))
    if not pairs or not wanted:
        return {}
    params = {"version_ids": wanted, "names": sorted({name for _owner, name in pairs})}
    rows = session.execute(_members_statement(), params).all()
    return {
        (owner, name, number): version_id
        for owner, name, version_id, number in rows
        if (owner, name) in pairs
    }
