"""Which pacts a provider build must verify: selectors resolved, merged by content, pending, WIP.

The steps (research broker.md §2.7, §3.4, §3.5):

1. expand the selectors (or take the defaults when none are sent: clients.md trap 6) and run
   them all in one UNION ALL statement;
2. for ``fallbackTag``/``fallbackBranch`` selectors, look up the fallback for the consumers the
   main tag/branch found nothing for (one more statement, only if such selectors exist);
3. merge the selected consumer versions by pact content: one entry per pact version, carrying
   every selector that chose it, shown for its newest consumer version;
4. add the pending status (when asked) and the WIP pacts (when asked, with a branch or tags).

For a provider branch, the WIP candidates are SELECTs of the selectors' statement and the
pending status is a column of it, and the provider is found by name inside it: the usual
request (selectors, pending, WIP for a branch) is one statement, whatever the number of
consumers or versions. On PostgreSQL each statement is a round trip and some Python, more
than the index seeks it runs.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Environment
from accord_broker.domain.for_verification.pending import (
    PendingStatus,
    branch_settlement_params,
    pending_statuses,
    with_branch_settlement,
)
from accord_broker.domain.for_verification.queries import (
    DefaultMainLine,
    Lookup,
    SelectedRow,
    default_main_line_selects,
    lookup_select,
    run_selects,
)
from accord_broker.domain.for_verification.selectors import (
    ForVerificationRequest,
    Selector,
    SelectorKind,
    default_selectors,
    expand,
    missing_environments,
)
from accord_broker.domain.for_verification.wip import (
    WipCandidate,
    branch_wip_pacts,
    branch_wip_params,
    branch_wip_selects,
    wip_pacts,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant

_KIND_ORDER = {
    SelectorKind.OVERALL_LATEST: 0,
    SelectorKind.MAIN_BRANCH: 1,
    SelectorKind.BRANCH: 2,
    SelectorKind.EVERY_BRANCH: 2,
    SelectorKind.LATEST_TAG: 3,
    SelectorKind.ALL_TAG: 4,
    SelectorKind.DEPLOYED: 5,
    SelectorKind.RELEASED: 6,
}


@dataclass(frozen=True, slots=True)
class ResolvedSelector:
    """A selector together with the consumer version it chose (and the environment, if any).

    ``fallback`` says the selector's ``fallbackTag``/``fallbackBranch`` was used because the main
    tag or branch had no pact.
    """

    selector: Selector
    consumer_version_id: int
    consumer_version_number: str
    consumer_version_order: int
    environment: str | None = None
    production: bool = False
    fallback: bool = False

    def sort_key(self) -> tuple[int, str, int]:
        label = self.selector.tag or str(self.selector.branch or "") or (self.environment or "")
        return (_KIND_ORDER[self.selector.kind], label, self.consumer_version_order)


@dataclass(frozen=True, slots=True)
class VerifiablePact:
    """One entry of the for-verification response: a pact content and why it is there."""

    consumer_name: str
    consumer_main_branch: str | None
    provider_name: str
    consumer_version_number: str
    consumer_version_order: int
    pact_version_id: int
    sha: str
    selectors: tuple[ResolvedSelector, ...]
    pending: bool | None = None
    """``None`` when the request did not ask for the pending status."""
    wip: bool = False
    provider_branch: str | None = None
    pending_tags: tuple[str, ...] = ()
    non_pending_tags: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, int]:
        return (self.consumer_name.lower(), self.consumer_version_order)


@dataclass(frozen=True, slots=True)
class _Source:
    """What a ``selector_index`` in the result rows stands for."""

    selector: Selector
    fallback: bool = False
    default_main_line: int | None = None


def _plan(
    request: ForVerificationRequest,
) -> tuple[list[Lookup], dict[int, _Source], list[Select[Any]]]:
    """The lookups to run, what each result index means, and the SELECTs."""
    sources: dict[int, _Source] = {}
    lookups: list[Lookup] = []
    selects: list[Select[Any]] = []
    given = list(request.selectors)
    if not given:
        selects.extend(default_main_line_selects(0))
        for offset in range(DefaultMainLine.COUNT):
            sources[offset] = _Source(Selector(latest=True), default_main_line=offset)
        given = default_selectors()
    for selector in given:
        for primitive in expand(selector, request.provider_version_branch):
            lookup = Lookup(len(sources), primitive)
            sources[lookup.index] = _Source(primitive)
            lookups.append(lookup)
            selects.append(lookup_select(lookup))
    return lookups, sources, selects


def _fallback_lookups(
    lookups: Iterable[Lookup], rows: list[SelectedRow], sources: dict[int, _Source]
) -> list[Lookup]:
    """For selectors with a fallback: the fallback lookup, skipping consumers already found."""
    found: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        found[row.selector_index].add(row.consumer_id)
    fallbacks = []
    for lookup in lookups:
        selector = lookup.selector
        if selector.kind is SelectorKind.LATEST_TAG and selector.fallback_tag:
            primitive = Selector(tag=selector.fallback_tag, latest=True, consumer=selector.consumer)
        elif selector.kind is SelectorKind.BRANCH and selector.fallback_branch:
            primitive = Selector(
                branch=selector.fallback_branch, latest=True, consumer=selector.consumer
            )
        else:
            continue
        index = len(sources)
        sources[index] = _Source(selector, fallback=True)
        fallbacks.append(Lookup(index, primitive, frozenset(found[lookup.index])))
    return fallbacks


def _resolve(row: SelectedRow, source: _Source) -> ResolvedSelector:
    selector = source.selector
    if source.default_main_line == DefaultMainLine.MAIN_BRANCH:
        selector = Selector(main_branch=True, latest=True, consumer=row.consumer_name)
    elif source.default_main_line == DefaultMainLine.MAIN_BRANCH_TAG:
        selector = Selector(tag=row.label, latest=True, consumer=row.consumer_name)
    elif source.default_main_line == DefaultMainLine.OVERALL_LATEST:
        selector = Selector(latest=True, consumer=row.consumer_name)
    elif selector.kind is SelectorKind.EVERY_BRANCH:
        selector = replace(selector, branch=row.label)
    return ResolvedSelector(
        selector=selector,
        consumer_version_id=row.consumer_version_id,
        consumer_version_number=row.consumer_version_number,
        consumer_version_order=row.consumer_version_order,
        environment=row.environment,
        production=bool(row.production),
        fallback=source.fallback,
    )


def _newest(rows: Iterable[SelectedRow]) -> SelectedRow:
    return max(rows, key=lambda r: r.consumer_version_order)


def _merge(
    rows: list[SelectedRow], sources: dict[int, _Source]
) -> dict[int, tuple[SelectedRow, tuple[ResolvedSelector, ...]]]:
    """Rows grouped by pact content: the newest row, and every selector that chose the content."""
    grouped: dict[int, list[SelectedRow]] = defaultdict(list)
    for row in rows:
        grouped[row.pact_version_id].append(row)
    merged = {}
    for pact_version_id, group in grouped.items():
        resolved = {_resolve(row, sources[row.selector_index]) for row in group}
        merged[pact_version_id] = (
            _newest(group),
            tuple(sorted(resolved, key=ResolvedSelector.sort_key)),
        )
    return merged


def _check_environments(session: Session, request: ForVerificationRequest) -> None:
    names = request.environments
    if not names:
        return
    known = set(
        session.scalars(select(Environment.name).where(Environment.name.in_(sorted(names))))
    )
    problem = missing_environments(request, known)
    if problem is not None:
        raise problem


def _wip_entries(
    provider_name: str, request: ForVerificationRequest, candidates: list[WipCandidate]
) -> list[VerifiablePact]:
    grouped: dict[int, list[WipCandidate]] = defaultdict(list)
    for candidate in candidates:
        grouped[candidate.row.pact_version_id].append(candidate)
    entries = []
    for group in grouped.values():
        newest = _newest(c.row for c in group)
        selectors = {
            ResolvedSelector(
                selector=Selector(branch=c.row.label, latest=True)
                if c.from_branch
                else Selector(tag=c.row.label, latest=True),
                consumer_version_id=c.row.consumer_version_id,
                consumer_version_number=c.row.consumer_version_number,
                consumer_version_order=c.row.consumer_version_order,
            )
            for c in group
        }
        pending_tags = tuple(dict.fromkeys(t for c in group for t in c.pending_tags))
        entries.append(
            VerifiablePact(
                consumer_name=newest.consumer_name,
                consumer_main_branch=newest.consumer_main_branch,
                provider_name=provider_name,
                consumer_version_number=newest.consumer_version_number,
                consumer_version_order=newest.consumer_version_order,
                pact_version_id=newest.pact_version_id,
                sha=newest.sha,
                selectors=tuple(sorted(selectors, key=ResolvedSelector.sort_key)),
                pending=True,
                wip=True,
                provider_branch=request.provider_version_branch,
                pending_tags=pending_tags,
                non_pending_tags=tuple(
                    t for t in request.provider_version_tags if t not in pending_tags
                ),
            )
        )
    return entries


@dataclass(frozen=True, slots=True)
class _Selected:
    """What the selectors' statement brought back: the selected rows (fallbacks included),
    and, when WIP for a provider branch was asked, its candidates (``None`` otherwise)."""

    rows: list[SelectedRow]
    wip_rows: list[SelectedRow] | None
    sources: dict[int, _Source]
    """What each row's ``selector_index`` stands for."""


def _select(session: Session, provider: str, request: ForVerificationRequest) -> _Selected:
    """Run the selectors for the provider called ``provider``, with the branch WIP candidates
    and the branch pending status in the same statement when the request has a provider
    branch; then the fallbacks, if needed."""
    lookups, sources, selects = _plan(request)
    since, branch = request.include_wip_pacts_since, request.provider_version_branch
    params: dict[str, Any] = {}
    wrap = None
    if branch is not None and since is not None:
        selects = [*selects, *branch_wip_selects()]
        params |= branch_wip_params(provider, since, branch)
    if branch is not None and request.include_pending_status:
        params |= branch_settlement_params(provider, branch)
        wrap = with_branch_settlement
    rows = run_selects(session, provider, selects, params, wrap)
    wip_rows = [row for row in rows if row.selector_index < 0]
    rows = [row for row in rows if row.selector_index >= 0]
    fallbacks = _fallback_lookups(lookups, rows, sources)
    if fallbacks:
        rows += run_selects(session, provider, [lookup_select(f) for f in fallbacks])
    wip_asked = branch is not None and since is not None
    return _Selected(rows, wip_rows if wip_asked else None, sources)


def _pending(
    session: Session,
    provider_name: str,
    request: ForVerificationRequest,
    rows: list[SelectedRow],
    pact_version_ids: Collection[int],
) -> dict[int, PendingStatus]:
    """The statuses the selectors' statement brought, completed with a statement of their own
    for the rest (fallbacks' pacts, or a request without a provider branch)."""
    statuses = {
        row.pact_version_id: PendingStatus(not row.settled)
        for row in rows
        if row.settled is not None
    }
    unknown = set(pact_version_ids) - statuses.keys()
    if unknown:
        statuses |= pending_statuses(
            session,
            provider_name,
            unknown,
            provider_branch=request.provider_version_branch,
            provider_tags=request.provider_version_tags,
        )
    return statuses


def pacts_for_verification(
    session: Session, provider_name: str, request: ForVerificationRequest
) -> list[VerifiablePact]:
    """The pacts the provider called ``provider_name`` must verify for ``request``: selected
    ones first, then WIP ones, each list sorted by consumer name and consumer version. A
    provider that does not exist is a ``BrokerNotFoundError``."""
    _check_environments(session, request)
    found = _select(session, provider_name, request)
    if not found.rows and not found.wip_rows:
        # nothing selected: is there such a provider at all? (the statements find it by name
        # themselves, so its row is read only here)
        get_pacticipant(session, provider_name, "provider")
    merged = _merge(found.rows, found.sources)
    statuses: dict[int, PendingStatus] = {}
    if request.include_pending_status and merged:
        statuses = _pending(session, provider_name, request, found.rows, merged.keys())
    selected = []
    for pact_version_id, (newest, resolved) in merged.items():
        status = statuses.get(pact_version_id)
        selected.append(
            VerifiablePact(
                consumer_name=newest.consumer_name,
                consumer_main_branch=newest.consumer_main_branch,
                provider_name=provider_name,
                consumer_version_number=newest.consumer_version_number,
                consumer_version_order=newest.consumer_version_order,
                pact_version_id=pact_version_id,
                sha=newest.sha,
                selectors=resolved,
                pending=status.pending if status is not None else None,
                provider_branch=request.provider_version_branch,
                pending_tags=status.pending_tags if status is not None else (),
                non_pending_tags=status.non_pending_tags if status is not None else (),
            )
        )
    selected.sort(key=VerifiablePact.sort_key)
    since = request.include_wip_pacts_since
    if since is None:
        return selected
    if found.wip_rows is not None:
        candidates = branch_wip_pacts(found.wip_rows, set(merged))
    else:
        candidates = wip_pacts(
            session,
            provider_name,
            since,
            provider_branch=request.provider_version_branch,
            provider_tags=request.provider_version_tags,
            explicit_pact_version_ids=set(merged),
        )
    wip = sorted(_wip_entries(provider_name, request, candidates), key=VerifiablePact.sort_key)
    return selected + wip
