"""Consumer version selectors and the for-verification request: typed, then expanded.

A provider build asks "which pacts must I verify?" with a list of selectors (research broker.md
§2.7). The body is checked by its model (``body.py``: types, names and the rules a selector's
keys must follow, each refusal a 400 naming the selector); this module turns it into the
request the queries take, and expands the shorthand selectors (``matchingBranch``,
``deployedOrReleased``, a bare ``environment``) into the primitive kinds the queries know.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any

from accord_broker.domain.bodies import parse_body
from accord_broker.domain.for_verification.body import (
    SELECTORS_FIELD,
    ConsumerVersionSelector,
    ForVerificationBody,
)
from accord_broker.errors import BrokerInputError


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


def _selector(sent: ConsumerVersionSelector) -> Selector:
    return Selector(
        main_branch=sent.main_branch is True,
        branch=sent.branch,
        matching_branch=sent.matching_branch is True,
        fallback_branch=sent.fallback_branch,
        tag=sent.tag,
        fallback_tag=sent.fallback_tag,
        latest=sent.latest,
        consumer=sent.consumer,
        deployed=sent.deployed is True,
        released=sent.released is True,
        deployed_or_released=sent.deployed_or_released is True,
        environment=sent.environment,
    )


def _refuse(errors: dict[str, list[str]]) -> BrokerInputError:
    summary = "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in errors.items())
    return BrokerInputError(f"{ForVerificationBody.refusal}: {summary}", errors=errors)


def for_verification_request(body: ForVerificationBody) -> ForVerificationRequest:
    """The request a checked body asks for (a blank provider branch counts as none)."""
    branch = body.provider_version_branch
    return ForVerificationRequest(
        selectors=tuple(_selector(s) for s in body.consumer_version_selectors or ()),
        provider_version_branch=branch.strip() if branch and body.wants_branch else None,
        provider_version_tags=tuple(dict.fromkeys(body.provider_version_tags or ())),
        include_pending_status=body.include_pending_status is True,
        include_wip_pacts_since=body.include_wip_pacts_since,
    )


def parse_for_verification_request(body: Mapping[str, Any]) -> ForVerificationRequest:
    """The checked request, or a 400 listing every problem (field → messages)."""
    return for_verification_request(parse_body(ForVerificationBody, body))


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
