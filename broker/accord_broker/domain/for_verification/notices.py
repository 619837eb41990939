"""What a verifier prints about each pact: short description, notices, and the URL metadata.

Verifiers print each notice whose ``when`` matches the stage they are at (``before_verification``,
``after_verification:success_<bool>_published_<bool>``; clients.md §7.2). ``shortDescription`` is
used as a test name by some clients (Pact Go), so it is short and stable. The self link's
metadata tells the broker, when the result comes back, whether it was for a WIP or pending pact
and which selectors chose it (research broker.md §3.8).
"""

from accord_broker.domain.for_verification.resolution import ResolvedSelector, VerifiablePact
from accord_broker.domain.for_verification.selectors import SelectorKind
from accord_broker.domain.url_metadata import MetadataValue, encode_metadata

READ_MORE_PENDING = "Read more at https://docs.pact.io/go/pending"
READ_MORE_WIP = "Read more at https://docs.pact.io/go/wip"
AFTER_STAGES = (
    "after_verification:success_true_published_false",
    "after_verification:success_false_published_false",
    "after_verification:success_true_published_true",
    "after_verification:success_false_published_true",
)

Notice = dict[str, str]


def _quoted_list(names: tuple[str, ...]) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def short_description(pact: VerifiablePact) -> str:
    """E.g. ``latest from main branch, deployed to production``."""
    return ", ".join(dict.fromkeys(_short(r) for r in pact.selectors))


def _short(resolved: ResolvedSelector) -> str:
    s = resolved.selector
    kind = s.kind
    if kind is SelectorKind.OVERALL_LATEST:
        return "latest"
    if kind is SelectorKind.MAIN_BRANCH:
        return "latest from main branch"
    if kind is SelectorKind.LATEST_TAG:
        return f"latest with tag {s.fallback_tag if resolved.fallback else s.tag}"
    if kind in (SelectorKind.BRANCH, SelectorKind.EVERY_BRANCH):
        return f"latest from branch {s.fallback_branch if resolved.fallback else s.branch}"
    if kind is SelectorKind.ALL_TAG:
        return f"one of {s.consumer} {s.tag}" if s.consumer else f"one of {s.tag}"
    if kind is SelectorKind.DEPLOYED:
        return f"deployed to {resolved.environment}"
    return f"released in {resolved.environment}"


def _reason(pact: VerifiablePact, resolved: ResolvedSelector) -> str:
    s = resolved.selector
    consumer = pact.consumer_name
    number = resolved.consumer_version_number
    kind = s.kind
    if kind is SelectorKind.OVERALL_LATEST:
        text = f"the newest version of {consumer} with a pact for {pact.provider_name}"
    elif kind is SelectorKind.MAIN_BRANCH:
        text = f"the head of {consumer}'s main branch '{pact.consumer_main_branch}'"
    elif kind is SelectorKind.LATEST_TAG:
        text = f"the newest version of {consumer} tagged '{s.tag}'"
        if resolved.fallback:
            text = (
                f"the newest version of {consumer} tagged '{s.fallback_tag}' "
                f"(the fallback, as no version tagged '{s.tag}' has a pact)"
            )
    elif kind in (SelectorKind.BRANCH, SelectorKind.EVERY_BRANCH):
        text = f"the head of {consumer}'s branch '{s.branch}'"
        if resolved.fallback:
            text = (
                f"the head of {consumer}'s branch '{s.fallback_branch}' "
                f"(the fallback, as the head of branch '{s.branch}' has no pact)"
            )
    elif kind is SelectorKind.ALL_TAG:
        text = f"a version of {consumer} tagged '{s.tag}'"
    elif kind is SelectorKind.DEPLOYED:
        text = f"a version of {consumer} currently deployed to {resolved.environment}"
    else:
        text = f"a version of {consumer} released and still supported in {resolved.environment}"
    return f"{text} ({number})"


def _provider_line(pact: VerifiablePact, tags: tuple[str, ...]) -> str:
    """The provider versions a pending status is about: its branch, its tags, or any version."""
    if pact.provider_branch:
        return f"versions of {pact.provider_name} from branch '{pact.provider_branch}'"
    if tags:
        word = "tag" if len(tags) == 1 else "tags"
        return f"versions of {pact.provider_name} with {word} {_quoted_list(tags)}"
    return f"any version of {pact.provider_name}"


def inclusion_notice(pact: VerifiablePact, url: str) -> Notice:
    if pact.wip:
        heads = []
        branches = tuple(
            dict.fromkeys(str(r.selector.branch) for r in pact.selectors if r.selector.branch)
        )
        tags = tuple(dict.fromkeys(r.selector.tag for r in pact.selectors if r.selector.tag))
        if branches:
            heads.append(
                f"{'branch' if len(branches) == 1 else 'branches'} {_quoted_list(branches)}"
            )
        if tags:
            heads.append(f"tagged {_quoted_list(tags)}")
        text = (
            f"Verifying the pact at {url} as work in progress: it is the newest pact of "
            f"{pact.consumer_name} from {' and '.join(heads)}, and "
            f"{_provider_line(pact, pact.pending_tags)} have not verified it successfully yet. "
            f"{READ_MORE_WIP}"
        )
        return {"when": "before_verification", "text": text}
    reasons = "\n".join(f"    * {_reason(pact, r)}" for r in pact.selectors)
    text = (
        f"Verifying the pact at {url} because its content was published by the consumer "
        f"version{'s' if len(pact.selectors) > 1 else ''} chosen by:\n{reasons}"
    )
    return {"when": "before_verification", "text": text}


def pending_notices(pact: VerifiablePact) -> list[Notice]:
    """The pending-status notices (only sent when the request asked for the pending status)."""
    if not pact.pending:
        verified_by = _provider_line(pact, pact.non_pending_tags)
        return [
            {
                "when": "before_verification",
                "text": (
                    f"This pact was verified successfully by {verified_by} before, so a failure "
                    f"now will fail the build. {READ_MORE_PENDING}"
                ),
            }
        ]
    line = _provider_line(pact, pact.pending_tags)
    why = (
        "it was included as work in progress"
        if pact.wip
        else f"no successful verification by {line} has been published yet"
    )
    before = (
        f"This pact is pending for {pact.provider_name}: {why}, so a failure will not fail the "
        f"build. {READ_MORE_PENDING}"
    )
    still = f"The pact stays pending for {line}: no successful verification has been published."
    return [
        {"when": "before_verification", "text": before},
        {
            "when": AFTER_STAGES[0],
            "text": f"The pact stays pending for {line} until this successful result is published.",
        },
        {"when": AFTER_STAGES[1], "text": still},
        {
            "when": AFTER_STAGES[2],
            "text": (
                f"The pact is no longer pending for {line}: a successful result was published, "
                f"so from now on a failing verification will fail the build. {READ_MORE_PENDING}"
            ),
        },
        {"when": AFTER_STAGES[3], "text": still},
    ]


def notices(pact: VerifiablePact, url: str, *, include_pending_status: bool) -> list[Notice]:
    found = [inclusion_notice(pact, url)]
    if include_pending_status:
        found += pending_notices(pact)
    return found


def self_metadata(pact: VerifiablePact, *, include_pending_status: bool) -> str:
    """The ``/metadata/{m}`` segment: ``w=true`` for WIP pacts, else the selectors (``s``) and
    the pending flag (``p``, when computed)."""
    if pact.wip:
        return encode_metadata({"w": True})
    entries: list[dict[str, str | bool]] = []
    for resolved in pact.selectors:
        s = resolved.selector
        entry: dict[str, str | bool] = {}
        if isinstance(s.branch, str):
            entry["b"] = s.fallback_branch if resolved.fallback and s.fallback_branch else s.branch
        if s.tag:
            entry["t"] = s.fallback_tag if resolved.fallback and s.fallback_tag else s.tag
        if s.latest is not None:
            entry["l"] = s.latest
        if resolved.environment:
            entry["e"] = resolved.environment
        entry["cv"] = str(resolved.consumer_version_id)
        entries.append(entry)
    values: dict[str, MetadataValue] = {"s": entries}
    if include_pending_status and pact.pending is not None:
        values["p"] = pact.pending
    return encode_metadata(values)
