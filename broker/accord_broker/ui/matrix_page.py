"""The matrix of one consumer → provider pair, with the filters of the Pact Broker's page.

The rows come from the matrix domain (the same code that answers ``/matrix`` and can-i-deploy),
so the page and the API can never disagree.
"""

from dataclasses import dataclass

from accord_broker.domain.matrix import (
    DEFAULT_LIMIT,
    MatrixOptions,
    MatrixQuery,
    MatrixRow,
    UnresolvedSelector,
    find_matrix,
    query_problems,
)
from accord_broker.domain.matrix.page_chips import VersionChips, matrix_page_chips
from accord_broker.domain.unit_of_work import Session

LATESTBY_CHOICES = (
    ("", "show all rows"),
    ("cvpv", "latest result per consumer and provider version"),
    ("cvp", "latest result per consumer version"),
)
SUCCESS_CHOICES = (("", "any result"), ("true", "successful"), ("false", "failed"))


@dataclass(frozen=True, slots=True)
class MatrixFilters:
    consumer_branch: str = ""
    consumer_tag: str = ""
    provider_branch: str = ""
    provider_tag: str = ""
    latestby: str = ""
    success: str = ""
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True, slots=True)
class MatrixPage:
    rows: list[MatrixRow]
    chips: dict[int, VersionChips]
    """The rows' versions' branches, tags and environments, by version id."""
    problems: list[str]
    comparisons: frozenset[int] = frozenset()
    """The rows' results that are provider contract comparisons (by verification id)."""


def _selector(name: str, branch: str, tag: str) -> UnresolvedSelector:
    return UnresolvedSelector(pacticipant=name, branch=branch or None, tag=tag or None)


def load_matrix_page(
    session: Session, consumer: str, provider: str, filters: MatrixFilters
) -> MatrixPage:
    success: tuple[bool | None, ...] | None = None
    if filters.success in ("true", "false"):
        success = (filters.success == "true",)
    latestby = filters.latestby if filters.latestby in ("cvpv", "cvp") else None
    query = MatrixQuery(
        (
            _selector(consumer, filters.consumer_branch, filters.consumer_tag),
            _selector(provider, filters.provider_branch, filters.provider_tag),
        ),
        MatrixOptions(latestby=latestby, limit=max(1, filters.limit), success=success),
    )
    problems = query_problems(session, query)
    if problems:
        return MatrixPage([], {}, problems)
    result = find_matrix(session, query)
    rows = [
        r for r in result.considered if r.consumer_name == consumer and r.provider_name == provider
    ]
    ids = {r.consumer_version_id for r in rows}
    ids |= {r.provider_version_id for r in rows if r.provider_version_id is not None}
    results = {r.verification_id for r in rows if r.verification_id is not None}
    chips = matrix_page_chips(session, ids, results)
    return MatrixPage(rows, chips.versions, [], chips.comparisons)
