"""The verdict: deployable or not, the counts, and one reason per blocking integration.

The rules are the Pact Broker's (``DeploymentStatusSummary``, broker.md §3.6):

* ``success``/``failed``/``unknown`` count the considered rows by their result; ``unknown`` also
  counts required integrations that have no row at all; ``ignored`` appears only when the query
  has ignore selectors;
* ``deployable`` is ``False`` when a specified (not ignored) version does not exist; otherwise
  ``None`` when anything is unknown (unknown beats failed); otherwise ``True`` when every
  considered row succeeded, which includes having no rows ("There are no missing dependencies").
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accord_broker.domain.matrix import reasons as texts
from accord_broker.domain.matrix.integrations import Integration
from accord_broker.domain.matrix.query import MatrixQuery, UnresolvedSelector
from accord_broker.domain.matrix.reasons import ERROR, SUCCESS, WARNING, Reason, RowLink
from accord_broker.domain.matrix.resolve import INFERRED, ResolvedSelector, versions_meant
from accord_broker.domain.matrix.rows import MatrixRow

Explain = Callable[[MatrixRow, ResolvedSelector], str | None]
"""What accord adds to a failed or unverified row's reason (``None``: nothing to add)."""


@dataclass(frozen=True, slots=True)
class MatrixResult:
    """Everything a matrix query found, before the verdict."""

    query: MatrixQuery
    considered: list[MatrixRow]
    ignored: list[MatrixRow]
    selectors: list[ResolvedSelector]
    ignores: list[ResolvedSelector]
    integrations: list[Integration]
    branch_members: dict[tuple[int, str], int] = field(default_factory=dict)
    """For selectors kept as a whole branch: ``(branch id, number) -> version id`` of the
    rows' versions on it (``whole_branch.branch_members``), read for the decision's reasons
    (``matrix.answer``)."""
    tag_members: dict[tuple[int, str, str], int] = field(default_factory=dict)
    """For selectors kept as a whole tag: ``(pacticipant id, tag, number) -> version id`` of
    the rows' versions with it (``whole_tag.tag_members``), read as ``branch_members``."""


@dataclass(frozen=True, slots=True)
class Verdict:
    deployable: bool | None
    counts: dict[str, int]
    reasons: list[Reason] = field(default_factory=list)


def _row_link(row: MatrixRow) -> RowLink:
    return RowLink(
        provider=row.provider_name,
        consumer=row.consumer_name,
        pact_sha=row.pact_version_sha,
        consumer_version=row.consumer_version_number,
        verification_number=row.verification_number,
    )


class _Selectors:
    """Finds the selector that brought a row's pacticipant into the question (for the text)."""

    def __init__(self, result: MatrixResult) -> None:
        self.all = result.selectors
        self.members = result.branch_members
        self.tag_members = result.tag_members
        self.rows = result.considered
        self.integrations = result.integrations
        self._dummies: dict[str, ResolvedSelector] = {}

    def _dummy(self, name: str) -> ResolvedSelector:
        """A selector for ``name`` as the first row (else integration) that names it shows it.

        Built when a reason asks for it: most answers name every pacticipant by a selector,
        and building one for each side of a hundred rows cost more than the reasons."""
        found = self._dummies.get(name)
        if found is None:
            found = self._dummies[name] = self._first_dummy(name)
        return found

    def _first_dummy(self, name: str) -> ResolvedSelector:
        empty = UnresolvedSelector(pacticipant=None)
        for row in self.rows:
            if row.consumer_name == name:
                return ResolvedSelector(
                    row.consumer_id,
                    row.consumer_name,
                    empty,
                    INFERRED,
                    version_id=row.consumer_version_id,
                    version_number=row.consumer_version_number,
                )
            if row.provider_name == name:
                return ResolvedSelector(
                    row.provider_id,
                    row.provider_name,
                    empty,
                    INFERRED,
                    version_id=row.provider_version_id,
                    version_number=row.provider_version_number,
                )
        for integration in self.integrations:
            if integration.consumer_name == name:
                return ResolvedSelector(
                    integration.consumer_id, integration.consumer_name, empty, INFERRED
                )
            if integration.provider_name == name:
                return ResolvedSelector(
                    integration.provider_id, integration.provider_name, empty, INFERRED
                )
        raise LookupError(f"{name} is in no row and no integration of the answer")

    def find(self, name: str, number: str | None) -> ResolvedSelector:
        """The selector that meant ``name`` (at ``number``); a whole branch or tag stands for
        one selector per version in it, so it is never "the only one", and it has ``number``
        exactly when that version is on the branch (or carries the tag)."""
        found = [s for s in self.all if s.pacticipant_name == name]
        if len(found) == 1 and not found[0].whole:
            return found[0]
        if number is not None:
            for selector in found:
                if selector.branch_id is None and selector.whole_tag_name is None:
                    if selector.version_number == number:
                        return selector
                    continue
                member = self._member(selector, number)
                if member is not None:
                    return selector.for_version(member, number)
        return self._dummy(name)

    def _member(self, whole: ResolvedSelector, number: str) -> int | None:
        """The id of ``whole``'s version ``number``, if that version is in it."""
        if whole.branch_id is not None:
            return self.members.get((whole.branch_id, number))
        tag = whole.whole_tag_name or ""
        return self.tag_members.get((whole.pacticipant_id, tag, number))


def _missing(result: MatrixResult) -> list[Integration]:
    """The required integrations with no row, considered or ignored."""
    required = [i for i in result.integrations if i.required]
    if not required:
        return []
    pairs = {(r.consumer_id, r.provider_id) for r in result.considered}
    pairs.update((r.consumer_id, r.provider_id) for r in result.ignored)
    return [i for i in required if (i.consumer_id, i.provider_id) not in pairs]


def decide(result: MatrixResult, explain: Explain | None = None) -> Verdict:
    """The verdict on ``result``; ``explain`` adds accord's evidence to error reasons."""
    considered = result.considered
    missing_integrations = _missing(result)
    counts = {
        "success": sum(1 for r in considered if r.success is True),
        "failed": sum(1 for r in considered if r.success is False),
        "unknown": len(missing_integrations) + sum(1 for r in considered if r.success is None),
    }
    if result.ignores:
        counts["ignored"] = len(result.ignored)
    missing_versions = [s for s in result.selectors if s.consider and s.specified_version_missing]
    deployable: bool | None
    if missing_versions:
        deployable = False
    elif counts["unknown"]:
        deployable = None
    else:
        deployable = all(r.success for r in considered)
    errors = _errors(result, missing_versions, missing_integrations, explain)
    warnings = _warnings(result)
    if errors:
        return Verdict(deployable, counts, warnings + errors)
    if considered:
        success = [Reason(SUCCESS, texts.ALL_SUCCESSFUL)]
    else:
        success = [Reason(SUCCESS, texts.NO_DEPENDENCIES_MISSING)]
    return Verdict(deployable, counts, warnings + success)


def _errors(
    result: MatrixResult,
    missing_versions: list[ResolvedSelector],
    missing_integrations: list[Integration],
    explain: Explain | None,
) -> list[Reason]:
    if missing_versions:
        return _unique([Reason(ERROR, texts.missing_version_text(s)) for s in missing_versions])
    failed = [r for r in result.considered if r.success is False]
    unverified = [r for r in result.considered if r.success is None]
    if not missing_integrations and not failed and not unverified:
        return []
    selectors = _Selectors(result)
    reasons: list[Reason] = []
    for integration in missing_integrations:
        consumer = selectors.find(integration.consumer_name, None)
        provider = selectors.find(integration.provider_name, None)
        reasons.append(Reason(ERROR, texts.not_verified(consumer, provider)))
    given = {reason.text for reason in reasons}
    for row, sentence in [(r, texts.verification_failed) for r in failed] + [
        (r, texts.not_verified) for r in unverified
    ]:
        consumer = selectors.find(row.consumer_name, row.consumer_version_number)
        provider = selectors.find(row.provider_name, row.provider_version_number)
        text = sentence(consumer, provider)
        if text in given:
            continue  # the first row with this sentence gives its evidence; the rest add none
        given.add(text)
        why = explain(row, provider) if explain is not None else None
        reasons.append(Reason(ERROR, text, why, _row_link(row)))
    return _unique(reasons)


def _warnings(result: MatrixResult) -> list[Reason]:
    options = result.query.options
    warnings = [
        Reason(WARNING, texts.cannot_ignore(s))
        for s in result.ignores
        if not s.pacticipant_exists or not s.version_exists
    ]
    specified = [s for s in result.selectors if s.specified]
    if versions_meant(specified) == 1 and not (
        options.tag or options.environment or options.main_branch
    ):
        warnings.append(Reason(WARNING, texts.NO_ENVIRONMENT))
    if any(not s.only_pacticipant_name for s in specified) and not any(
        s.original.version for s in specified
    ):
        warnings.append(Reason(WARNING, texts.NO_VERSION_NUMBER))
    return warnings


def _unique(reasons: list[Reason]) -> list[Reason]:
    seen: set[str] = set()
    kept = []
    for reason in reasons:
        if reason.text not in seen:
            seen.add(reason.text)
            kept.append(reason)
    return kept
