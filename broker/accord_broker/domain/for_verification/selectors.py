"""Consumer version selectors and the for-verification request: parsed, validated, expanded.

A provider build asks "which pacts must I verify?" with a list of selectors (research broker.md
§2.7). This module turns the JSON body into typed values, refuses invalid combinations with a 400
that names the selector and the rule it breaks, and expands the shorthand selectors
(``matchingBranch``, ``deployedOrReleased``, a bare ``environment``) into the primitive kinds the
queries know. Keys are accepted in camelCase (what every client sends) and snake_case (what the
Pact Broker also accepts, since it snake-cases keys internally).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from accord_broker.errors import BrokerInputError

SELECTORS_FIELD = "consumerVersionSelectors"


class SelectorKind(Enum):
    """What a primitive selector selects, per consumer of the provider."""

    MAIN_BRANCH = "main branch head"
    BRANCH = "branch head"
    EVERY_BRANCH = "every branch head"
    LATEST_TAG = "latest with tag"
    ALL_TAG = "all with tag"
    OVERALL_LATEST = "overall latest"
    DEPLOYED = "currently deployed"
    RELEASED = "currently supported release"


@dataclass(frozen=True, slots=True)
class Selector:
    """One consumer version selector as sent (``branch=True`` means "every branch")."""

    main_branch: bool = False
    branch: str | bool | None = None
    matching_branch: bool = False
    fallback_branch: str | None = None
    tag: str | None = None
    fallback_tag: str | None = None
    latest: bool | None = None
    consumer: str | None = None
    deployed: bool = False
    released: bool = False
    deployed_or_released: bool = False
    environment: str | None = None

    @property
    def kind(self) -> SelectorKind:
        """The primitive kind of an *expanded* selector (see :func:`expand`)."""
        if self.main_branch:
            return SelectorKind.MAIN_BRANCH
        if self.branch is True:
            return SelectorKind.EVERY_BRANCH
        if isinstance(self.branch, str):
            return SelectorKind.BRANCH
        if self.tag is not None:
            return SelectorKind.LATEST_TAG if self.latest else SelectorKind.ALL_TAG
        if self.deployed:
            return SelectorKind.DEPLOYED
        if self.released:
            return SelectorKind.RELEASED
        return SelectorKind.OVERALL_LATEST


@dataclass(frozen=True, slots=True)
class ForVerificationRequest:
    """A checked ``POST /pacts/provider/{provider}/for-verification`` body."""

    selectors: tuple[Selector, ...] = ()
    provider_version_branch: str | None = None
    provider_version_tags: tuple[str, ...] = ()
    include_pending_status: bool = False
    include_wip_pacts_since: datetime | None = None

    @property
    def environments(self) -> set[str]:
        return {s.environment for s in self.selectors if s.environment is not None}


_CAMEL = re.compile(r"_([a-z])")
_BRANCH_KEYS = {
    "latest",
    "tag",
    "fallbackTag",
    "branch",
    "fallbackBranch",
    "matchingBranch",
    "mainBranch",
}
_ENVIRONMENT_KEYS = {"environment", "deployed", "released", "deployedOrReleased"}
_TRUE_ONLY = ("mainBranch", "matchingBranch", "deployed", "released", "deployedOrReleased")
_STRINGS = ("tag", "fallbackTag", "fallbackBranch", "consumer", "environment")
_ANCHORS = (
    "mainBranch",
    "tag",
    "branch",
    "environment",
    "matchingBranch",
    "deployed",
    "released",
    "deployedOrReleased",
)


def _camel(key: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), key)


def _camel_keys(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {_camel(str(key)): value for key, value in raw.items()}


def _selector_problems(raw: dict[str, Any], has_provider_branch: bool) -> list[str]:
    """Every rule ``raw`` breaks (empty when it is a valid selector)."""
    present = {key for key, value in raw.items() if value is not None}
    problems = [
        f"{key} must be true when given"
        for key in _TRUE_ONLY
        if key in present and raw[key] is not True
    ]
    problems += [
        f"{key} must be a non-blank string"
        for key in _STRINGS
        if key in present and (not isinstance(raw[key], str) or not raw[key].strip())
    ]
    if "latest" in present and not isinstance(raw["latest"], bool):
        problems.append("latest must be true or false")
    branch = raw.get("branch")
    if (
        branch is not None
        and branch is not True
        and (not isinstance(branch, str) or not branch.strip())
    ):
        problems.append("branch must be a non-blank string (or true, with latest: true)")
    if problems:
        return problems
    latest = raw.get("latest")
    if not any(raw.get(key) not in (None, False) for key in _ANCHORS) and latest is not True:
        problems.append(
            "a selector needs at least one of mainBranch, branch, matchingBranch, tag, "
            "environment, deployed, released, deployedOrReleased or latest: true"
        )
    if present & _BRANCH_KEYS and present & _ENVIRONMENT_KEYS:
        problems.append(
            "branch and tag keys (latest, tag, fallbackTag, branch, fallbackBranch, mainBranch, "
            "matchingBranch) cannot be combined with environment keys (environment, deployed, "
            "released, deployedOrReleased)"
        )
    if "mainBranch" in present:
        if present - {"mainBranch", "consumer", "latest"}:
            problems.append("mainBranch can only be combined with consumer and latest")
        if latest is False:
            problems.append("mainBranch cannot be combined with latest: false")
    if "matchingBranch" in present:
        if present - {"matchingBranch", "consumer"}:
            problems.append("matchingBranch can only be combined with consumer")
        if not has_provider_branch:
            problems.append("matchingBranch needs providerVersionBranch to be set")
    if "tag" in present and "branch" in present:
        problems.append("tag and branch cannot be used together")
    if "fallbackTag" in present and ("tag" not in present or latest is not True):
        problems.append("fallbackTag needs a tag and latest: true")
    if "fallbackBranch" in present and ("branch" not in present or latest is False):
        problems.append("fallbackBranch needs a branch and cannot be used with latest: false")
    if "branch" in present and latest is False:
        problems.append("branch cannot be used with latest: false")
    if branch is True and latest is not True:
        problems.append("branch: true (every branch) needs latest: true")
    if len(present & {"deployed", "released", "deployedOrReleased"}) > 1:
        problems.append("deployed, released and deployedOrReleased are mutually exclusive")
    return problems


def _parse_selector(raw: dict[str, Any]) -> Selector:
    return Selector(
        main_branch=raw.get("mainBranch") is True,
        branch=raw.get("branch"),
        matching_branch=raw.get("matchingBranch") is True,
        fallback_branch=raw.get("fallbackBranch"),
        tag=raw.get("tag"),
        fallback_tag=raw.get("fallbackTag"),
        latest=raw.get("latest"),
        consumer=raw.get("consumer"),
        deployed=raw.get("deployed") is True,
        released=raw.get("released") is True,
        deployed_or_released=raw.get("deployedOrReleased") is True,
        environment=raw.get("environment"),
    )


def _parse_since(value: Any) -> datetime:
    """A date (``2020-01-01``) or timestamp (ISO-8601; naive means UTC) for WIP pacts."""
    if not isinstance(value, str):
        raise ValueError("not a string")
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _refuse(errors: dict[str, list[str]]) -> BrokerInputError:
    summary = "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in errors.items())
    return BrokerInputError(f"invalid pacts-for-verification request: {summary}", errors=errors)


def parse_for_verification_request(body: Mapping[str, Any]) -> ForVerificationRequest:
    """The checked request, or a 400 listing every problem (field → messages)."""
    raw = _camel_keys(body)
    errors: dict[str, list[str]] = {}
    branch = raw.get("providerVersionBranch")
    if branch is not None and not isinstance(branch, str):
        errors.setdefault("providerVersionBranch", []).append("must be a string")
    tags = raw.get("providerVersionTags")
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        errors.setdefault("providerVersionTags", []).append("must be a list of non-blank strings")
        tags = []
    pending = raw.get("includePendingStatus", False)
    if pending is None:
        pending = False
    if not isinstance(pending, bool):
        errors.setdefault("includePendingStatus", []).append("must be true or false")
    since: datetime | None = None
    if raw.get("includeWipPactsSince") is not None:
        try:
            since = _parse_since(raw["includeWipPactsSince"])
        except ValueError:
            errors.setdefault("includeWipPactsSince", []).append(
                "must be an ISO-8601 date or timestamp, e.g. 2024-01-31"
            )
    wants_branch = isinstance(branch, str) and branch.strip() != ""
    if isinstance(branch, str) and not wants_branch and not tags and (pending is True or since):
        errors.setdefault("providerVersionBranch", []).append(
            "cannot be blank when pending or WIP pacts are requested"
        )
    selectors_raw = raw.get(SELECTORS_FIELD)
    if selectors_raw is None:
        selectors_raw = []
    selectors: list[Selector] = []
    if not isinstance(selectors_raw, list):
        errors.setdefault(SELECTORS_FIELD, []).append("must be a list of selector objects")
        selectors_raw = []
    for index, item in enumerate(selectors_raw):
        if not isinstance(item, dict):
            errors.setdefault(SELECTORS_FIELD, []).append(
                f"must be a selector object, not {type(item).__name__} (at index {index})"
            )
            continue
        selector = _camel_keys(item)
        problems = _selector_problems(selector, wants_branch)
        if problems:
            errors.setdefault(SELECTORS_FIELD, []).extend(
                f"{problem} (at index {index})" for problem in problems
            )
            continue
        selectors.append(_parse_selector(selector))
    if errors:
        raise _refuse(errors)
    return ForVerificationRequest(
        selectors=tuple(selectors),
        provider_version_branch=branch.strip()
        if wants_branch and isinstance(branch, str)
        else None,
        provider_version_tags=tuple(dict.fromkeys(tags)),
        include_pending_status=pending is True,
        include_wip_pacts_since=since,
    )


def missing_environments(
    request: ForVerificationRequest, known: set[str]
) -> BrokerInputError | None:
    """The 400 for selectors naming environments that do not exist, if any do."""
    unknown = sorted(request.environments - known)
    if not unknown:
        return None
    return _refuse(
        {SELECTORS_FIELD: [f"environment with name '{name}' does not exist" for name in unknown]}
    )


def expand(selector: Selector, provider_version_branch: str | None) -> list[Selector]:
    """The primitive selectors ``selector`` stands for (shorthands rewritten, defaults filled)."""
    if selector.matching_branch:
        assert provider_version_branch is not None, "validated: matchingBranch needs a branch"
        return [Selector(branch=provider_version_branch, latest=True, consumer=selector.consumer)]
    if selector.deployed_or_released:
        return [
            replace(selector, deployed_or_released=False, deployed=True),
            replace(selector, deployed_or_released=False, released=True),
        ]
    if selector.environment is not None and not (selector.deployed or selector.released):
        return [replace(selector, deployed=True), replace(selector, released=True)]
    if selector.branch is not None and selector.latest is None:
        return [replace(selector, latest=True)]
    if selector.main_branch:
        return [replace(selector, latest=True)]
    return [selector]


def default_selectors() -> list[Selector]:
    """What "no selectors" means (trap 6): each consumer's main line, plus what is deployed and
    released. The per-consumer choice between main branch, main-branch tag and overall latest is
    made in the query (see ``for_verification_queries.default_main_line``)."""
    return [Selector(deployed=True), Selector(released=True)]
