"""Why a version is (not) deployable: the Pact Broker's reason sentences, plus accord's evidence.

Each reason starts with the Pact Broker's own sentence (so scripts matching on it keep working)
and, for a failed or missing verification, carries ``why`` (what accord found: which
interactions failed, which provider version last verified this content) and a ``link`` to the
verification result or the pact, which the API turns into a URL.
"""

from dataclasses import dataclass

from accord_broker.domain.matrix.resolve import ResolvedSelector

ERROR, WARNING, SUCCESS = "error", "warning", "success"


@dataclass(frozen=True, slots=True)
class RowLink:
    """Where the evidence is: a verification result (``verification_number``) or the pact."""

    provider: str
    consumer: str
    pact_sha: str
    consumer_version: str
    verification_number: int | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    kind: str
    """``error``, ``warning`` or ``success`` (the notice type)."""
    text: str
    """The Pact Broker's sentence."""
    why: str | None = None
    link: RowLink | None = None


def describe(s: ResolvedSelector) -> str:
    """The Pact Broker's description of a resolved selector, e.g. ``version 1 of Foo``."""
    name, number, o = s.pacticipant_name, s.version_number, s.original
    exists = s.version_exists
    if o.latest and o.tag:
        found = f"({number})" if number and exists else "(no such version exists)"
        return f"the latest version of {name} with tag {o.tag} {found}"
    if o.main_branch and not exists:
        if o.latest:
            return (
                f"the latest version of {name} from the main branch "
                "(no versions exist for this branch)"
            )
        return f"any version of {name} from the main branch (no versions exist for this branch)"
    branch = s.branch
    if o.latest and branch:
        found = f"({number})" if exists else "(no such version exists)"
        return f"the latest version of {name} from branch {branch} {found}"
    if branch and exists:
        prefix = "one of the versions " if s.one_of_many else "the version "
        return f"{prefix}of {name} from branch {branch} ({number})"
    if branch:
        return f"a version of {name} from branch {branch} (no such version exists)"
    if o.latest:
        found = f"({number})" if exists else "(no such version exists)"
        return f"the latest version of {name} {found}"
    if o.tag:
        found = f"({number})" if exists else "(no such version exists)"
        return f"a version of {name} with tag {o.tag} {found}"
    if o.environment and exists:
        prefix = "one of the versions" if s.one_of_many else "the version"
        return f"{prefix} of {name} currently in {o.environment} ({number})"
    if o.environment:
        return (
            f"a version of {name} currently in {o.environment} "
            "(no version is currently recorded as deployed/released in this environment)"
        )
    if number and not exists:
        return f"version {number} of {name} (no such version exists)"
    if number:
        return f"version {number} of {name}"
    if not s.pacticipant_exists:
        return f"any version of {name} (no such pacticipant exists)"
    return f"any version of {name}"


def missing_version_text(s: ResolvedSelector) -> str:
    """Why a specified version cannot be found, e.g. ``No version with tag prod exists for Foo``."""
    name, o = s.pacticipant_name, s.original
    if o.tag:
        return f"No version with tag {o.tag} exists for {name}"
    if o.branch:
        return f"No version of {name} from branch {o.branch} exists"
    if o.main_branch:
        return f"No version of {name} from the main branch exists"
    if o.environment:
        return (
            f"No version of {name} is currently recorded as deployed or released "
            f"in environment {o.environment}"
        )
    if s.version_number:
        return (
            f"No pacts or verifications have been published for version {s.version_number} "
            f"of {name}"
        )
    return f"No pacts or verifications have been published for {name}"


def not_verified(consumer: ResolvedSelector, provider: ResolvedSelector) -> str:
    return f"There is no verified pact between {describe(consumer)} and {describe(provider)}"


def verification_failed(consumer: ResolvedSelector, provider: ResolvedSelector) -> str:
    return (
        f"The verification for the pact between {describe(consumer)} and {describe(provider)} "
        "failed"
    )


ALL_SUCCESSFUL = "All required verification results are published and successful"
NO_DEPENDENCIES_MISSING = "There are no missing dependencies"
NO_ENVIRONMENT = (
    "WARN: It is recommended to specify the environment into which you are deploying. "
    "Without the environment, this result will not be reliable."
)
NO_VERSION_NUMBER = (
    "WARN: It is recommended to specify the version number (rather than the tag or branch) of "
    "the pacticipant you wish to deploy to avoid race conditions. Without a version number, "
    "this result will not be reliable."
)


def cannot_ignore(s: ResolvedSelector) -> str:
    return f"WARN: Cannot ignore {describe(s)}"
