"""The matrix: which consumer versions are compatible with which provider versions, and whether
a version can be deployed (can-i-deploy) or merged (can-i-merge).

``answer(session, query)`` is the whole algorithm: resolve the selectors (``resolve``), find the
rows (``rows``), and decide (``decision``) with accord's evidence (``evidence``). Queries come
from ``parse_matrix_query`` (``/matrix``), ``can_i_deploy_query`` or ``can_i_merge_query``.
"""

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from accord_broker.domain.matrix.decision import MatrixResult, Verdict, decide
from accord_broker.domain.matrix.evidence import Evidence
from accord_broker.domain.matrix.integrations import find_integrations, infer_selectors
from accord_broker.domain.matrix.lookups import PacticipantRef, pacticipants_by_name
from accord_broker.domain.matrix.query import (
    DEFAULT_LIMIT,
    MatrixOptions,
    MatrixQuery,
    UnresolvedSelector,
    can_i_deploy_query,
    can_i_merge_query,
    parse_matrix_query,
)
from accord_broker.domain.matrix.reasons import Reason, RowLink
from accord_broker.domain.matrix.resolve import (
    IGNORE,
    SPECIFIED,
    resolve_selectors,
    versions_for_selector,
)
from accord_broker.domain.matrix.row_filters import (
    apply_latestby,
    apply_success_filter,
    split_ignored,
)
from accord_broker.domain.matrix.rows import MatrixRow, find_rows
from accord_broker.domain.matrix.validation import query_problems
from accord_broker.domain.matrix.whole_branch import branch_members
from accord_broker.domain.matrix.whole_tag import tag_members
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.errors import BrokerNotFoundError, MatrixQueryError

__all__ = [
    "DEFAULT_LIMIT",
    "MatrixAnswer",
    "MatrixOptions",
    "MatrixQuery",
    "MatrixResult",
    "MatrixRow",
    "Reason",
    "RowLink",
    "UnresolvedSelector",
    "Verdict",
    "answer",
    "branch_head",
    "can_i_deploy_query",
    "can_i_merge",
    "can_i_merge_query",
    "find_matrix",
    "pacticipant_named",
    "parse_matrix_query",
    "query_problems",
]


@dataclass(frozen=True, slots=True)
class MatrixAnswer:
    result: MatrixResult
    verdict: Verdict


def find_matrix(session: Session, query: MatrixQuery) -> MatrixResult:
    """The rows and selectors for an already validated ``query``."""
    options = query.options
    ignores = resolve_selectors(session, options.ignore, IGNORE)
    specified = resolve_selectors(session, query.selectors, SPECIFIED, ignores)
    infer = options.has_destination
    involved = find_integrations(session, specified, infer, options.environment)
    inferred = infer_selectors(session, specified, ignores, involved, options) if infer else []
    integrations = involved.integrations
    selectors = specified + inferred
    rows = find_rows(session, selectors, options)
    rows = apply_success_filter(apply_latestby(rows, options.latestby), options)
    considered, ignored = split_ignored(rows, ignores)
    considered.sort(key=MatrixRow.sort_key)
    ignored.sort(key=MatrixRow.sort_key)
    return MatrixResult(query, considered, ignored, selectors, ignores, integrations)


def _with_members(session: Session, result: MatrixResult) -> MatrixResult:
    """``result`` with its rows' versions found in its whole branches and tags, which the
    reasons name them by (one statement per kind; the UI's page, without reasons, never
    asks)."""
    selectors = result.selectors
    branch_ids = [s.branch_id for s in selectors if s.branch_id is not None]
    tags = [(s.pacticipant_id, s.whole_tag_name) for s in selectors if s.whole_tag_name]
    if not branch_ids and not tags:
        return result
    rows = result.considered
    seen = [r.consumer_version_id for r in rows]
    seen += [r.provider_version_id for r in rows if r.provider_version_id is not None]
    return replace(
        result,
        branch_members=branch_members(session, branch_ids, seen) if branch_ids else {},
        tag_members=tag_members(session, tags, seen) if tags else {},
    )


def answer(session: Session, query: MatrixQuery) -> MatrixAnswer:
    """Validate ``query`` (a ``MatrixQueryError`` lists every problem), then answer it."""
    problems = query_problems(session, query)
    if problems:
        raise MatrixQueryError(problems)
    result = _with_members(session, find_matrix(session, query))
    evidence = Evidence(session, result.considered)
    return MatrixAnswer(result, decide(result, evidence))


def can_i_merge(session: Session, pacticipant: str, version: str | None = None) -> MatrixAnswer:
    """Is ``version`` (default: the head of the pacticipant's main branch) compatible with the
    head of the main branch of every pacticipant it integrates with?
    """
    if version is None:
        owner = get_pacticipant(session, pacticipant)
        heads = versions_for_selector(
            session, owner, UnresolvedSelector(pacticipant, latest=True, main_branch=True)
        )
        if not heads:
            raise BrokerNotFoundError(
                f"No main branch version found for pacticipant '{pacticipant}'; set its "
                "mainBranch and publish from that branch first"
            )
        version = heads[0][1]
    return answer(session, can_i_merge_query(pacticipant, version))


def pacticipant_named(session: Session, name: str) -> PacticipantRef | None:
    """The pacticipant called ``name``, if it exists, remembered for the answer that follows in
    the same session: a can-i-deploy shortcut's 404 check and the question's own lookup are
    then one statement (issue #20)."""
    return pacticipants_by_name(session, [name]).get(name)


def branch_head(session: Session, owner: PacticipantRef, branch: str) -> str | None:
    """The number of the head of ``branch`` of ``owner`` (``None`` if it has no versions)."""
    heads = versions_for_selector(
        session, owner, UnresolvedSelector(owner.name, branch=branch, latest=True)
    )
    return heads[0][1] if heads else None
