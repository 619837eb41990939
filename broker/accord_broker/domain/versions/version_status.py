"""Per-version verification status for a pacticipant's page: how each version stands.

A consumer version's pacts were verified (or not) by its providers; a provider version verified
(or failed) its consumers' pacts. Both are read for a whole page of versions by two statements
(parts of the pacticipant page's one statement, ``pacticipants/version_facts.py``):
the newest verification of each pact a version published (a correlated ``MAX`` per publication,
one index descent each however often the content was verified), and the counts of results a
provider version published.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, case, func, select
from sqlalchemy.orm import aliased

from accord_broker.db.models import PactPublication, Verification


@dataclass(frozen=True, slots=True)
class VersionVerification:
    """``pacts_*``: this version's pacts (as consumer) by their newest result; ``verified_*``:
    results this version published (as provider)."""

    pacts_passed: int = 0
    pacts_failed: int = 0
    pacts_unverified: int = 0
    verified_passed: int = 0
    verified_failed: int = 0

    @property
    def status(self) -> str:
        """``failed``, ``success``, ``never`` (only unverified pacts) or ``none`` (nothing)."""
        if self.pacts_failed or self.verified_failed:
            return "failed"
        if self.pacts_passed or self.verified_passed:
            return "stale" if self.pacts_unverified else "success"
        return "never" if self.pacts_unverified else "none"


_IDS: Any = bindparam("ids", expanding=True)


@cache
def verification_statements(
    ids: Any = _IDS,
) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """The two statements, built once (bound: ``ids``, or the parameter given, so that a
    caller can run them inside a statement of its own): building and keying a correlated
    statement costs about a millisecond of Python, as much as running it."""
    newest = (
        select(func.max(Verification.id))
        .where(Verification.pact_version_id == PactPublication.pact_version_id)
        .correlate(PactPublication)
        .scalar_subquery()
    )
    other = aliased(PactPublication)
    latest_revision = (
        select(func.max(other.revision_number))
        .where(
            other.consumer_version_id == PactPublication.consumer_version_id,
            other.provider_id == PactPublication.provider_id,
        )
        .correlate(PactPublication)
        .scalar_subquery()
    )
    pacts = (
        select(PactPublication.consumer_version_id, Verification.success)
        .outerjoin(Verification, Verification.id == newest)
        .where(
            PactPublication.consumer_version_id.in_(ids),
            PactPublication.revision_number == latest_revision,
        )
    )
    verified = (
        select(
            Verification.provider_version_id,
            func.sum(case((Verification.success, 1), else_=0)).cast(Integer),
            func.sum(case((Verification.success, 0), else_=1)).cast(Integer),
        )
        .where(Verification.provider_version_id.in_(ids))
        .group_by(Verification.provider_version_id)
    )
    return pacts, verified
