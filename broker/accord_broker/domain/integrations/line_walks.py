"""The newest pact and the newest result of one line of a pair, read by bounded walks.

A line is the consumer versions tagged ``tag``, on ``branch``, with no tag at all, or all of
them; a matrix badge also keeps only the results of provider versions tagged
``provider_tag``. The line's pact is its newest consumer version's; its result is the newest
verification (highest id) of any pact content the line's versions published. The badges and
the pact page show their status (``integration_status.line_status``).

For a tag, a branch or the untagged versions both reads once took the whole line (every
version, every content they published, every result of those contents) and sorted it, so a
badge of the benchmark's hot pair cost 40 to 200 times more at 3,000 consumer versions than
at 300 (issue #20). Now:

* the pact is one backwards walk that stops at the first version of the line with a pact:
  :mod:`..pacts.newest_with_pact` for a tag or a branch, the pair's publications (newest
  first) skipping tagged versions for ``untagged``;
* the result is first looked for among the pair's ``NEWEST_RESULTS_PROBED`` newest results,
  each probed for "published by a version of the line" (and "by a provider version with the
  tag"). The newest results of a pair are its busy lines' (main, dev), so that is where a
  dense line's answer is, whatever the history. Only when none of them is the line's (a
  ``prod`` tag whose contents are not verified again, while every provider build verifies the
  newest content), each version of the line gives its content's newest result (an index
  seek, ``(pact_version_id, verification_id)``) and the highest is taken: an exact answer
  whose cost follows the line's own length (60 ``prod`` versions at full size, 6 at 10 %),
  not the pair's history. No index orders a line's contents by their newest result, so no
  read can do better for a sparse line without a table kept for it.

For ``untagged`` the second step would read every version of the pair, so the walk over the
pair's results simply goes on until one is of an untagged version.

The probes are scalar subqueries and the provider is not named beside a content: see
:func:`_found` and :func:`_newest_result_among_recent` for what PostgreSQL made of the others.
Each statement is built once per shape, with bind parameters (``line_params``): building
one of these costs the interpreter ten times what running it costs SQLite.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Select,
    String,
    bindparam,
    case,
    exists,
    func,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, aliased

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    LatestPactPublication,
    LatestVerification,
    PactVersion,
    Tag,
    Verification,
    Version,
)
from accord_broker.domain.pacts.newest_with_pact import (
    newest_tagged_version_with_pact,
    newest_version_with_pact_on_branch,
)

NEWEST_RESULTS_PROBED = 8
"""The pair's newest results probed before the line's versions are read one by one: a few,
so that a line whose results are not the newest (a ``prod`` tag) pays little for them."""


Kind = Literal["every", "tag", "branch", "untagged"]
"""A line's consumer versions: every one, a tag's, a branch's or the untagged ones."""


@dataclass(frozen=True, slots=True)
class Line:
    """Which consumer versions of a pair a badge shows: tagged ``tag``, on ``branch``, or
    ``untagged`` (one of them; none: every version), and whose results count (those of
    provider versions tagged ``provider_tag``, or every one)."""

    tag: str | None = None
    branch: str | None = None
    untagged: bool = False
    provider_tag: str | None = None

    @property
    def kind(self) -> Kind:
        if self.tag is not None:
            return "tag"
        if self.branch is not None:
            return "branch"
        return "untagged" if self.untagged else "every"


_PROVIDER: BindParameter[int] = bindparam("line_provider_id", type_=BigInteger)
_CONSUMER: BindParameter[int] = bindparam("line_consumer_id", type_=BigInteger)
_NAME: BindParameter[str] = bindparam("line_name", type_=String)
"""The line's tag or branch."""
_PROVIDER_TAG: BindParameter[str] = bindparam("line_provider_tag", type_=String)


def line_params(provider_id: int, consumer_id: int, line: Line) -> dict[str, Any]:
    """The values of the line statements' bind parameters."""
    return {
        _PROVIDER.key: provider_id,
        _CONSUMER.key: consumer_id,
        _NAME.key: line.tag if line.tag is not None else line.branch,
        _PROVIDER_TAG.key: line.provider_tag,
    }


@cache
def newest_pact_statement(kind: Kind) -> Select[str, int, str, datetime]:
    """The line's newest pact: its consumer version's number, its content's id and sha, and
    when it was published (no row: the line has no pact). The pair's current publications
    walked newest first (``(provider_id, consumer_id, consumer_version_order)``), kept to the
    line's by :func:`_newest_pact_criterion`."""
    current = LatestPactPublication
    query = (
        select(Version.number, current.pact_version_id, PactVersion.sha, current.created_at)
        .join(Version, Version.id == current.consumer_version_id)
        .join(PactVersion, PactVersion.id == current.pact_version_id)
        .where(current.provider_id == _PROVIDER, current.consumer_id == _CONSUMER)
        .order_by(current.consumer_version_order.desc())
        .limit(1)
    )
    criterion = _newest_pact_criterion(kind)
    return query if criterion is None else query.where(criterion)


@cache
def newest_result_statement(
    kind: Kind, by_provider_tag: bool
) -> Select[int, int, int, str, bool, bool | None, datetime]:
    """The line's newest result (no row: none): the verification's id, number, content id,
    provider version number, success, pending and execution date. For the whole pair (every
    consumer version, any provider version) the first row of the pair's results index, else
    the result :func:`_newest_result_id` finds."""
    provider_version = aliased(Version)
    query = select(
        Verification.id,
        Verification.number,
        Verification.pact_version_id,
        provider_version.number,
        Verification.success,
        Verification.pact_pending,
        Verification.execution_date,
    )
    if kind == "every" and not by_provider_tag:
        result = LatestVerification
        return (
            query.select_from(result)
            .join(Verification, Verification.id == result.verification_id)
            .join(provider_version, provider_version.id == result.provider_version_id)
            .where(result.provider_id == _PROVIDER, result.consumer_id == _CONSUMER)
            .order_by(result.verification_id.desc())
            .limit(1)
        )
    return query.join(
        provider_version, provider_version.id == Verification.provider_version_id
    ).where(Verification.id == _newest_result_id(kind, by_provider_tag))


def _newest_pact_criterion(kind: Kind) -> ColumnElement[bool] | None:
    """A condition on the pair's ``latest_pact_publications`` that keeps the line's: walked
    newest first, their first row is the line's newest pact (``None``: every version's).

    For a tag or a branch it names that one row (the newest version of the line with a pact,
    found by its own walk); for ``untagged`` it skips tagged versions, one probe of ``tags``'
    ``(version_id, name)`` key each, as the pair's walk goes.
    """
    current = LatestPactPublication
    if kind == "tag":
        newest = newest_tagged_version_with_pact(_PROVIDER, _CONSUMER, _NAME)
        return current.consumer_version_id == newest
    if kind == "branch":
        newest = newest_version_with_pact_on_branch(_PROVIDER, _CONSUMER, _NAME)
        return current.consumer_version_id == newest
    if kind == "untagged":
        return _untagged(current.consumer_version_id)
    return None


def _newest_result_id(kind: Kind, by_provider_tag: bool) -> ColumnElement[Any]:
    """The id of the line's newest result (``NULL`` when it has none).

    The pair's newest results first (see the module's docstring), then, for a tag or a branch,
    each version of the line: ``COALESCE`` asks the second only when the first found nothing
    (SQLite and PostgreSQL both evaluate an uncorrelated subquery when it is first needed).
    """
    recent = _newest_result_among_recent(kind, by_provider_tag)
    if kind not in ("tag", "branch"):
        return recent
    return func.coalesce(recent, _newest_result_by_line_version(kind, by_provider_tag))


def _found(probe: Select[Any]) -> ColumnElement[bool]:
    """``probe`` finds a row: asked as a scalar subquery (``LIMIT 1``) rather than ``EXISTS``.
    PostgreSQL turns a correlated ``EXISTS`` into a join, which its generic plan may make a hash
    of every row the probe could match (every tag named ``dev``, of any pacticipant); a scalar
    subquery it runs per row, by the index, as SQLite does either way."""
    return probe.limit(1).scalar_subquery().is_not(None)


def _tagged(version_id: Any, name: BindParameter[str]) -> ColumnElement[bool]:
    """The version has the tag: one probe of ``tags``' unique ``(version_id, name)`` key."""
    tag = aliased(Tag)
    return _found(select(tag.id).where(tag.version_id == version_id, tag.name == name))


def _untagged(version_id: Any) -> ColumnElement[bool]:
    """The version has no tag at all: one probe of the same key, by its first column."""
    tag = aliased(Tag)
    return select(tag.id).where(tag.version_id == version_id).limit(1).scalar_subquery().is_(None)


def _on_line(kind: Kind, consumer_version_id: Any) -> ColumnElement[bool]:
    """The consumer version is on the line (a version of the pair's consumer, so the key's
    ``version_id`` alone says it; the pacticipant needs no check)."""
    if kind == "tag":
        return _tagged(consumer_version_id, _NAME)
    if kind == "branch":
        on_branch = aliased(BranchVersion)
        return _found(
            select(on_branch.id).where(
                on_branch.version_id == consumer_version_id, on_branch.branch_name == _NAME
            )
        )
    return _untagged(consumer_version_id)


def _newest_result_among_recent(kind: Kind, by_provider_tag: bool) -> ColumnElement[Any]:
    """The newest of the pair's results whose content a version of the line published and, by
    provider tag, whose provider version has the tag: a backwards walk of ``(provider_id,
    consumer_id, verification_id)`` that stops at the first such result, and for a tag or a
    branch does not go past the ``NEWEST_RESULTS_PROBED``-th newest."""
    result = aliased(LatestVerification)
    published = aliased(LatestPactPublication)
    conditions = [result.provider_id == _PROVIDER, result.consumer_id == _CONSUMER]
    if by_provider_tag:
        conditions.append(_tagged(result.provider_version_id, _PROVIDER_TAG))
    if kind != "every":
        # the content's publications (all for this provider: a content belongs to one pair, so
        # naming the provider too only let PostgreSQL add every publication for it to a bitmap)
        conditions.append(
            _found(
                select(published.consumer_version_id).where(
                    published.pact_version_id == result.pact_version_id,
                    _on_line(kind, published.consumer_version_id),
                )
            )
        )
    if kind in ("tag", "branch"):
        conditions.append(result.verification_id >= _recent_floor())
    return (
        select(result.verification_id)
        .where(*conditions)
        .order_by(result.verification_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _recent_floor() -> ColumnElement[Any]:
    """The id of the pair's ``NEWEST_RESULTS_PROBED``-th newest result (0 when it has fewer)."""
    result = aliased(LatestVerification)
    nth = (
        select(result.verification_id)
        .where(result.provider_id == _PROVIDER, result.consumer_id == _CONSUMER)
        .order_by(result.verification_id.desc())
        .offset(NEWEST_RESULTS_PROBED - 1)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(nth, 0)


def _newest_result_by_line_version(kind: Kind, by_provider_tag: bool) -> ColumnElement[Any]:
    """The highest, over the contents the line's versions published, of the content's newest
    result (by a provider version with the tag): per version one step of the line's index and
    one key probe of ``latest_pact_publications``; per content (a content is published by
    many versions of a dense line) one backwards walk of ``(pact_version_id,
    verification_id)``, to its first result (by a provider version with the tag). A content's
    results all belong to its pair, so the pair needs no check; a provider tag that no
    provider version carries reads nothing at all.

    Each version's content is a scalar subquery, not a join: PostgreSQL's generic plan could
    hash-join every publication of the content index to the line's tags instead."""
    current = aliased(LatestPactPublication)
    versions, version_id, conditions = _line_versions(kind)
    content = (
        select(current.pact_version_id)
        .where(current.consumer_version_id == version_id, current.provider_id == _PROVIDER)
        .scalar_subquery()
    )
    line_contents = select(content.label("content")).select_from(versions).where(*conditions)
    contents = line_contents.distinct().subquery()
    result = aliased(LatestVerification)
    newest = select(result.verification_id).where(result.pact_version_id == contents.c.content)
    if by_provider_tag:
        newest = newest.where(_tagged(result.provider_version_id, _PROVIDER_TAG))
    newest = newest.order_by(result.verification_id.desc()).limit(1)
    highest = select(func.max(newest.scalar_subquery())).select_from(contents).scalar_subquery()
    if not by_provider_tag:
        return highest
    provider_tag = aliased(Tag)
    carried = exists(
        select(provider_tag.id).where(
            provider_tag.pacticipant_id == _PROVIDER, provider_tag.name == _PROVIDER_TAG
        )
    )
    # CASE, not a WHERE term: SQLite tests an uncorrelated WHERE term once, but inside the loop
    return case((carried, highest))


def _line_versions(
    kind: Kind,
) -> tuple[Any, InstrumentedAttribute[int], list[ColumnElement[bool]]]:
    """The line's versions (a tag's or a branch's): the table, its version id column and the
    conditions that select them by an index, ``(pacticipant_id, name, version_order)`` for a
    tag; for a branch its id, from the unique ``(pacticipant_id, name)`` key, then
    ``(branch_id, version_order)``."""
    if kind == "tag":
        tag = aliased(Tag)
        return tag, tag.version_id, [tag.pacticipant_id == _CONSUMER, tag.name == _NAME]
    named = aliased(Branch)
    on_branch = aliased(BranchVersion)
    branch_id = (
        select(named.id)
        .where(named.pacticipant_id == _CONSUMER, named.name == _NAME)
        .scalar_subquery()
    )
    return on_branch, on_branch.version_id, [on_branch.branch_id == branch_id]
