"""The ``POST /pacts/provider/{provider}/for-verification`` body as typed models.

Keys are accepted in camelCase (what every client sends) and snake_case (what the Pact Broker
also accepts, since it snake-cases keys internally). Every name a selector carries (branch, tag,
environment, consumer) follows the broker's name rules, so a NUL or another control character is
the same 400 naming the selector on SQLite and PostgreSQL (issue #20).
"""

from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, ConfigDict, model_validator

from accord_broker.domain.bodies import (
    BrokerBody,
    Name,
    OptionalName,
    OptionalText,
    name_value,
    problem,
    problems,
)

SELECTORS_FIELD = "consumerVersionSelectors"


def _branch(value: object) -> object:
    """A branch name, or ``true`` (every branch)."""
    if value is None or value is True:
        return value
    if not isinstance(value, str) or not value.strip():
        raise problem("must be a non-blank string (or true, with latest: true)")
    return name_value(value)


def _since(value: object) -> object:
    """A date (``2020-01-01``) or timestamp (ISO-8601; naive means UTC) for WIP pacts."""
    if value is None or isinstance(value, datetime):
        return value
    unreadable = problem("must be an ISO-8601 date or timestamp, e.g. 2024-01-31")
    if not isinstance(value, str):
        raise unreadable
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            raise unreadable from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _tags(value: object) -> object:
    if value is not None and (
        not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value)
    ):
        raise problem("must be a list of non-blank strings")
    return value


def _selectors(value: object) -> object:
    if value is not None and not isinstance(value, list):
        raise problem("must be a list of selector objects")
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise problem(
                    f"must be a selector object, not {_json_type(item)} (at index {index})"
                )
    return value


def _json_type(value: Any) -> str:
    return type(value).__name__


True_ = Literal[True] | None
"""A flag that is only ever sent as ``true``."""

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


class ConsumerVersionSelector(BrokerBody):
    """One consumer version selector as sent (``branch: true`` means "every branch")."""

    model_config = ConfigDict(validate_by_name=True)

    main_branch: True_ = None
    branch: Annotated[str | bool | None, BeforeValidator(_branch)] = None
    matching_branch: True_ = None
    fallback_branch: OptionalName = None
    tag: OptionalName = None
    fallback_tag: OptionalName = None
    latest: bool | None = None
    consumer: OptionalName = None
    deployed: True_ = None
    released: True_ = None
    deployed_or_released: True_ = None
    environment: OptionalName = None

    @model_validator(mode="after")
    def _combinable(self) -> "ConsumerVersionSelector":
        found = self.rule_problems()
        if found:
            raise problems(found)
        return self

    def present(self) -> set[str]:
        """The camelCase keys given a value (not ``null``)."""
        return {
            field.alias or name
            for name, field in type(self).model_fields.items()
            if getattr(self, name) is not None
        }

    def rule_problems(self) -> list[str]:
        """Every combination rule the selector breaks (research broker.md §2.7)."""
        present = self.present()
        found: list[str] = []
        latest = self.latest
        if not any(getattr(self, _snake(k)) not in (None, False) for k in _ANCHORS) and (
            latest is not True
        ):
            found.append(
                "a selector needs at least one of mainBranch, branch, matchingBranch, tag, "
                "environment, deployed, released, deployedOrReleased or latest: true"
            )
        if present & _BRANCH_KEYS and present & _ENVIRONMENT_KEYS:
            found.append(
                "branch and tag keys (latest, tag, fallbackTag, branch, fallbackBranch, "
                "mainBranch, matchingBranch) cannot be combined with environment keys "
                "(environment, deployed, released, deployedOrReleased)"
            )
        if "mainBranch" in present:
            if present - {"mainBranch", "consumer", "latest"}:
                found.append("mainBranch can only be combined with consumer and latest")
            if latest is False:
                found.append("mainBranch cannot be combined with latest: false")
        if "matchingBranch" in present and present - {"matchingBranch", "consumer"}:
            found.append("matchingBranch can only be combined with consumer")
        if "tag" in present and "branch" in present:
            found.append("tag and branch cannot be used together")
        if "fallbackTag" in present and ("tag" not in present or latest is not True):
            found.append("fallbackTag needs a tag and latest: true")
        if "fallbackBranch" in present and ("branch" not in present or latest is False):
            found.append("fallbackBranch needs a branch and cannot be used with latest: false")
        if "branch" in present and latest is False:
            found.append("branch cannot be used with latest: false")
        if self.branch is True and latest is not True:
            found.append("branch: true (every branch) needs latest: true")
        if len(present & {"deployed", "released", "deployedOrReleased"}) > 1:
            found.append("deployed, released and deployedOrReleased are mutually exclusive")
        return found


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


class ForVerificationBody(BrokerBody):
    """What a provider build sends to learn which pacts it must verify."""

    model_config = ConfigDict(validate_by_name=True)
    refusal: ClassVar[str] = "invalid pacts-for-verification request"
    indexed_lists: ClassVar[frozenset[str]] = frozenset({SELECTORS_FIELD})

    consumer_version_selectors: Annotated[
        list[ConsumerVersionSelector] | None, BeforeValidator(_selectors)
    ] = None
    provider_version_branch: OptionalText = None
    provider_version_tags: Annotated[list[Name] | None, BeforeValidator(_tags)] = None
    include_pending_status: bool | None = None
    include_wip_pacts_since: Annotated[datetime | None, BeforeValidator(_since)] = None

    @property
    def wants_branch(self) -> bool:
        """Whether a provider branch was given (a blank one counts as none)."""
        return bool(self.provider_version_branch and self.provider_version_branch.strip())

    @model_validator(mode="after")
    def _branch_rules(self) -> "ForVerificationBody":
        if (
            self.provider_version_branch is not None
            and not self.wants_branch
            and not self.provider_version_tags
            and (self.include_pending_status or self.include_wip_pacts_since)
        ):
            raise problems(
                ["cannot be blank when pending or WIP pacts are requested"],
                field="providerVersionBranch",
            )
        if not self.wants_branch:
            found = [
                f"matchingBranch needs providerVersionBranch to be set (at index {index})"
                for index, selector in enumerate(self.consumer_version_selectors or ())
                if selector.matching_branch
            ]
            if found:
                raise problems(found, field=SELECTORS_FIELD)
        return self
