"""Pending pacts: content the provider has never yet verified successfully on its line of work.

A pending pact's failures do not fail the provider build (research broker.md §3.4). The rules, per
pact content X, are the Pact Broker's:

* with a provider branch B: X is *not* pending when a provider version on B verified it
  successfully, or when a provider version on another branch did so before B was created (a new
  feature branch inherits the main line's state; if B does not exist yet, any branch counts);
* with provider tags only: per tag t, X is not pending for t when a version tagged t verified it
  successfully, or a version with another tag did so before the first tag named t was created;
  X is pending when it is pending for any tag;
* with neither: X is pending when no provider version ever verified it successfully.

The evidence is read for all candidate pacts at once, as existence checks (one correlated EXISTS
per pact through ``ix_verifications_pact_version_id_success``, stopping at the first matching
result), never by aggregating every result of a pact: a pact version with 15,000 results costs
what one with 15 costs.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    ScalarSelect,
    Select,
    SQLColumnExpression,
    String,
    bindparam,
    case,
    exists,
    false,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    Branch,
    BranchVerification,
    BranchVersion,
    PactVersion,
    Tag,
    Verification,
    Version,
)
from accord_broker.db.types import UtcDateTime
from accord_broker.domain.pacticipants.pacticipants import PACTICIPANT_ID_BY_NAME, PACTICIPANT_NAME

_IDS: BindParameter[int] = bindparam("ids", expanding=True)
"""The candidate pact version ids, bound at execution (cheaper than a literal list per query)."""


@dataclass(frozen=True, slots=True)
class PendingStatus:
    """Whether a pact is pending, and for which of the provider's tags (when tags were given)."""

    pending: bool
    pending_tags: tuple[str, ...] = ()
    non_pending_tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """Which successful verifications count, and which provider labels they are read through.

    ``by_tag`` reads the verifying versions' tags instead of their branches; ``non_wip_only``
    ignores results published as WIP (the WIP rules); ``use_execution_date`` compares the
    execution date rather than the publication date with a cutoff. ``provider_id`` may be a
    bind parameter, for statements built once and run many times.
    """

    provider_id: "ProviderId"
    by_tag: bool = False
    non_wip_only: bool = False
    use_execution_date: bool = False


Name = str | BindParameter[str]
ProviderId = int | BindParameter[int] | ScalarSelect[int]
When = datetime | ColumnElement[datetime]
"""A cutoff: a value, a bind parameter or a scalar subquery."""


def _tagged(name: Name, *, other: bool) -> ColumnElement[bool]:
    """The verifying version carries the tag ``name`` (or, with ``other``, another tag): a
    probe of the tags' unique key ``(version_id, name)``, covering.

    The provider is not compared: a result's provider version is the provider's, and a tag's
    pacticipant is its version's. Compared, it let SQLite without statistics probe the
    provider's every tag (``ix_tags_pacticipant_id_name_created_at``) instead of the version's.
    A subquery with ``LIMIT 1``, not an EXISTS: PostgreSQL pulls an EXISTS up into a join with
    every tag of the name (a merge join over a thousand ``dev`` tags per pact at the
    benchmark's full size, issue #20), and cannot pull up a ``LIMIT``: it probes the tags of
    each result's version, as SQLite does."""
    same_name: ColumnElement[bool] = Tag.name == name
    tag = (
        select(literal(1))
        .where(
            Tag.version_id == Verification.provider_version_id, ~same_name if other else same_name
        )
        .limit(1)
        .scalar_subquery()
    )
    return tag.is_not(None)


def verified_clause(
    evidence: Evidence,
    pact_version_id: SQLColumnExpression[int],
    name: Name,
    *,
    other: bool = False,
    before: When | None = None,
) -> ColumnElement[bool]:
    """EXISTS a successful verification of ``pact_version_id`` by a provider version labelled
    ``name`` (or, with ``other``, labelled otherwise), before ``before`` if given.

    Branches are read from ``branch_verifications`` (one row per successful result and branch
    of its provider version): one probe for "on branch ``name``", and a short range for "on
    another branch before the cutoff". Walking the pact's results instead cost every result
    when none qualified, which is what a provider's new branch asks about every pact (15,000
    results on a busy one). Tags are read from the results: a seek on
    ``ix_verifications_pact_version_id_success``, probing the tag index per result and
    stopping at the first that matches."""
    if not evidence.by_tag:
        return _verified_on_branch(evidence, pact_version_id, name, other=other, before=before)
    terms: list[ColumnElement[bool]] = [
        Verification.pact_version_id == pact_version_id,
        Verification.success.is_(True),
        _tagged(name, other=other),
    ]
    if evidence.non_wip_only:
        terms.append(Verification.wip.is_(False))
    if before is not None:
        when = (
            Verification.execution_date if evidence.use_execution_date else Verification.created_at
        )
        # Compared through coalesce(x, x) on purpose: a bare column lets SQLite seek
        # ix_verifications_pact_version_id_created_at and test every older result of the pact
        # (15,000 on a busy one) instead of the successful ones, stopping at the first.
        terms.append(func.coalesce(when, when) < before)
    return exists().where(*terms)


def _verified_on_branch(
    evidence: Evidence,
    pact_version_id: SQLColumnExpression[int],
    name: Name,
    *,
    other: bool,
    before: When | None,
) -> ColumnElement[bool]:
    on_branch: ColumnElement[bool] = BranchVerification.branch_name == name
    terms: list[ColumnElement[bool]] = [
        BranchVerification.pact_version_id == pact_version_id,
        ~on_branch if other else on_branch,
    ]
    if evidence.non_wip_only:
        terms.append(BranchVerification.wip.is_(False))
    if before is not None:
        when = (
            BranchVerification.execution_date
            if evidence.use_execution_date
            else BranchVerification.created_at
        )
        terms.append(when < before)
    return exists().where(*terms)


def settled_clause(
    evidence: Evidence, pact_version_id: SQLColumnExpression[int], name: Name, cutoff: When | None
) -> ColumnElement[bool]:
    """The pact is no longer pending for the provider branch (or tag) ``name``: verified
    successfully by a version labelled ``name``, or by a version labelled otherwise before
    ``cutoff`` (the branch's or tag's creation; any time when there is none yet)."""
    return verified_clause(evidence, pact_version_id, name) | verified_clause(
        evidence, pact_version_id, name, other=True, before=cutoff
    )


_NAME: BindParameter[str] = bindparam("label", type_=String)


NO_CUTOFF = datetime(9999, 12, 31, tzinfo=UTC)
"""The cutoff when the provider branch (or tag) does not exist yet: a success at any time
counts."""


def branch_created_cutoff(provider_id: ProviderId, branch: Name) -> ColumnElement[datetime]:
    """When the provider's branch was created, as SQL (the pending rule's cutoff), or
    ``NO_CUTOFF`` when there is no such branch: a subquery, not one more round trip."""
    created = (
        select(Branch.created_at)
        .where(Branch.pacticipant_id == provider_id, Branch.name == branch)
        .scalar_subquery()
    )
    return func.coalesce(created, literal(NO_CUTOFF, UtcDateTime))


def first_branch_version_cutoff(provider_id: ProviderId, branch: Name) -> ColumnElement[datetime]:
    """When the first version on the provider's branch was created, as SQL (the WIP rule's
    cutoff, through ``ix_branch_versions_branch_id_version_order``), or ``NO_CUTOFF``."""
    first = (
        select(Version.created_at)
        .join(BranchVersion, BranchVersion.version_id == Version.id)
        .join(Branch, Branch.id == BranchVersion.branch_id)
        .where(Branch.pacticipant_id == provider_id, Branch.name == branch)
        .order_by(BranchVersion.version_order)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(first, literal(NO_CUTOFF, UtcDateTime))


def first_tag_created(provider_id: ProviderId, tag: Name) -> ScalarSelect[datetime]:
    """When the provider's first tag called ``tag`` was created (NULL when there is none), as
    SQL: the first entry of ``ix_tags_pacticipant_id_name_created_at``. A ``min()`` over the
    tags, grouped by name, read every tag of the name (a thousand ``dev`` tags at the
    benchmark's full size, issue #20)."""
    return (
        select(Tag.created_at)
        .where(Tag.pacticipant_id == provider_id, Tag.name == tag)
        .order_by(Tag.created_at)
        .limit(1)
        .scalar_subquery()
    )


def tag_settled(
    evidence: Evidence, pact_version_id: SQLColumnExpression[int], tag: Name
) -> ColumnElement[bool]:
    """``settled_clause`` for the provider tag ``tag`` (``evidence.by_tag``), its cutoff the
    creation of the provider's first tag of that name, all in SQL.

    A CASE, not an OR: SQLite evaluates both sides of an OR in a result column. The test for
    a version tagged ``tag`` is skipped when the provider has no such tag: it could only fail,
    after reading every successful result of the pact (a provider's first build with a new
    tag asks it of every pact)."""
    first = first_tag_created(evidence.provider_id, tag)
    cutoff = func.coalesce(first, literal(NO_CUTOFF, UtcDateTime))
    return case(
        (first.is_not(None) & verified_clause(evidence, pact_version_id, tag), true()),
        (verified_clause(evidence, pact_version_id, tag, other=True, before=cutoff), true()),
        else_=false(),
    )


@cache
def provider_tag_names(count: int) -> tuple[BindParameter[str], ...]:
    """Bind parameters for ``count`` provider tags (values: ``provider_tag_params``)."""
    return tuple(bindparam(f"provider_tag_{i}", type_=String) for i in range(count))


def provider_tag_params(tags: tuple[str, ...]) -> dict[str, Any]:
    """The values of ``provider_tag_names(len(tags))``."""
    return {param.key: tag for param, tag in zip(provider_tag_names(len(tags)), tags, strict=True)}


@cache
def tags_settled_columns(
    pact_version_id: SQLColumnExpression[int], count: int, non_wip_only: bool
) -> tuple[ColumnElement[bool], ...]:
    """For ``count`` provider tags (``provider_tag_names``), whether the pact is settled for
    each: ``tag_settled`` with the provider found by name. ``non_wip_only`` reads the WIP
    rules' evidence (results not published as WIP, by execution date)."""
    evidence = Evidence(
        PACTICIPANT_ID_BY_NAME,
        by_tag=True,
        non_wip_only=non_wip_only,
        use_execution_date=non_wip_only,
    )
    return tuple(tag_settled(evidence, pact_version_id, name) for name in provider_tag_names(count))


@cache
def _tags_settled_statement(count: int) -> Select[Any]:
    """Each candidate pact's settlement for ``count`` provider tags, one column per tag (built
    once per count: construction costs more than the query)."""
    columns: list[SQLColumnExpression[Any]] = [PactVersion.id]
    columns += tags_settled_columns(PactVersion.id, count, False)
    return select(*columns).where(PactVersion.id.in_(_IDS))


def pending_tags_by_pact(
    session: Session, provider_name: str, pact_version_ids: Collection[int], tags: tuple[str, ...]
) -> dict[int, tuple[str, ...]]:
    """For each pact, the provider tags (in the given order) for which it is still pending:
    one statement for every pact and tag."""
    params = provider_tag_params(tags) | {
        "ids": sorted(pact_version_ids),
        PACTICIPANT_NAME.key: provider_name,
    }
    rows = session.execute(_tags_settled_statement(len(tags)), params).all()
    found = {
        row[0]: tuple(t for t, settled in zip(tags, row[1:], strict=True) if not settled)
        for row in rows
    }
    return {pv: found.get(pv, tags) for pv in pact_version_ids}


@lru_cache(maxsize=256)
def with_branch_settlement(chosen: CompoundSelect[Any] | Select[Any]) -> Select[Any]:
    """``chosen``'s rows with one more column, ``settled``: the row's pact is no longer pending
    for the provider branch (bind parameters: the provider's name and ``label``; values from
    ``branch_settlement_params``).

    The pending status then comes back with the pacts, in the same statement: the check is a few
    index seeks per row, cheaper than one more round trip. Cached per ``chosen`` object, so an
    identical request reuses the same statement (and its memoized cache key).
    """
    rows = chosen.subquery("chosen")
    evidence, pact = Evidence(PACTICIPANT_ID_BY_NAME), rows.c.pact_version_id
    cutoff = branch_created_cutoff(PACTICIPANT_ID_BY_NAME, _NAME)
    # settled_clause's two tests as a CASE, not an OR: SQLite evaluates both sides of an OR in
    # a result column, and the second walks every older result of the pact (15,000 on a busy
    # one, 15 ms) even when the first already said yes.
    settled = case(
        (verified_clause(evidence, pact, _NAME), true()),
        (verified_clause(evidence, pact, _NAME, other=True, before=cutoff), true()),
        else_=false(),
    )
    return select(rows, settled.label("settled"))


def branch_settlement_params(provider_name: str, branch: str) -> dict[str, Any]:
    """The values of ``with_branch_settlement``'s bind parameters."""
    return {PACTICIPANT_NAME.key: provider_name, _NAME.key: branch}


@cache
def _branch_settled_statement() -> Select[Any]:
    """``settled_clause`` over the candidate ids for the provider branch ``label``, the branch's
    creation as cutoff (built once, with bind parameters)."""
    evidence = Evidence(PACTICIPANT_ID_BY_NAME)
    before = branch_created_cutoff(PACTICIPANT_ID_BY_NAME, _NAME)
    return select(PactVersion.id).where(
        PactVersion.id.in_(_IDS), settled_clause(evidence, PactVersion.id, _NAME, before)
    )


def not_pending_on_branch(
    session: Session, provider_name: str, pact_version_ids: Collection[int], branch: str
) -> set[int]:
    """The pacts among ``pact_version_ids`` no longer pending for the provider branch
    (``settled_clause``, the branch's creation as cutoff), all in one statement."""
    params = branch_settlement_params(provider_name, branch) | {"ids": sorted(pact_version_ids)}
    return set(session.scalars(_branch_settled_statement(), params).all())


_EVER_VERIFIED = select(PactVersion.id).where(
    PactVersion.id.in_(_IDS),
    exists().where(Verification.pact_version_id == PactVersion.id, Verification.success.is_(True)),
)


def ever_verified(session: Session, pact_version_ids: Collection[int]) -> set[int]:
    """The pacts some provider version verified successfully (an EXISTS per pact: one index
    probe, not a DISTINCT over all its results)."""
    if not pact_version_ids:
        return set()
    return set(session.scalars(_EVER_VERIFIED, {"ids": sorted(pact_version_ids)}).all())


def pending_statuses(
    session: Session,
    provider_name: str,
    pact_version_ids: Collection[int],
    *,
    provider_branch: str | None,
    provider_tags: tuple[str, ...],
) -> dict[int, PendingStatus]:
    """The pending status of each pact version, for this provider build's branch or tags (the
    provider found by name inside the statement)."""
    if not pact_version_ids:
        return {}
    if provider_branch is not None:
        settled = not_pending_on_branch(session, provider_name, pact_version_ids, provider_branch)
        return {pv: PendingStatus(pv not in settled) for pv in pact_version_ids}
    if provider_tags:
        pending_tags = pending_tags_by_pact(session, provider_name, pact_version_ids, provider_tags)
        statuses = {}
        for pv in pact_version_ids:
            pending = pending_tags[pv]
            others = tuple(t for t in provider_tags if t not in pending)
            statuses[pv] = PendingStatus(bool(pending), pending, others)
        return statuses
    verified = ever_verified(session, pact_version_ids)
    return {pv: PendingStatus(pv not in verified) for pv in pact_version_ids}
