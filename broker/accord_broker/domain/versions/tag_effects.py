"""What tagging a version or putting it on a branch implies, beyond the tag or branch itself.

Pipelines written before branches and environments existed only tag versions
(``pact broker create-version-tag --tag main`` at build time, ``--tag production`` after a
deployment). The Pact Broker keeps them working with three switches, all on by default, and so
do we:

* **use first tag as branch**: a version's first tag, added within
  :data:`FIRST_TAG_AS_BRANCH_WINDOW` of the version's creation and while it has no branch, also
  puts the version on a branch of that name. Build pipelines tag right after publishing, so the
  first tag is the branch the version was built from; a tag added later (``prod``) is not.
* **create deployed versions for tags**: tagging a version with the name of an environment (on
  the tag resource, ``PUT …/tags/{tag}``) records a deployment there, as
  ``record-deployment`` without an application instance would. Publishing with tags does not:
  publishing is not deploying.
* **auto-detect main branch**: a pacticipant without a main branch adopts the first branch or
  tag named like a main branch (``develop``, ``main``, ``master``). An existing main branch is
  never overwritten.

Every write path that adds tags or branches goes through this module, so the switches hold the
same way for the tag and branch resources and ``POST /contracts/publish``. Replacing a version's
tags with ``PUT``/``PATCH /pacticipants/{p}/versions/{v}`` writes tags only, as in the Pact
Broker.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from accord_broker.db.models import BranchVersion, Pacticipant, Tag, Version
from accord_broker.db.types import utc_now
from accord_broker.domain.deployments import deployments
from accord_broker.domain.deployments.environments import find_environment_by_name
from accord_broker.domain.versions import branches, tags
from accord_broker.settings import Settings

FIRST_TAG_AS_BRANCH_WINDOW = timedelta(seconds=10)
"""How young a version must be for its first tag to become its branch (the Pact Broker's
``use_first_tag_as_branch_time_limit``)."""

DEFAULT_MAIN_BRANCH_CANDIDATES = ("develop", "main", "master")


@dataclass(frozen=True, slots=True)
class TagEffects:
    """Which side effects tags and branches have; the defaults are the Pact Broker's."""

    use_first_tag_as_branch: bool = True
    create_deployed_versions_for_tags: bool = True
    auto_detect_main_branch: bool = True
    main_branch_candidates: tuple[str, ...] = DEFAULT_MAIN_BRANCH_CANDIDATES


PACT_BROKER_TAG_EFFECTS = TagEffects()
"""The Pact Broker's defaults: every switch on."""

NO_TAG_EFFECTS = TagEffects(
    use_first_tag_as_branch=False,
    create_deployed_versions_for_tags=False,
    auto_detect_main_branch=False,
    main_branch_candidates=(),
)
"""Tags and branches that are only tags and branches (for imports and tests)."""


def tag_effects_from_settings(settings: Settings) -> TagEffects:
    return TagEffects(
        use_first_tag_as_branch=settings.use_first_tag_as_branch,
        create_deployed_versions_for_tags=settings.create_deployed_versions_for_tags,
        auto_detect_main_branch=settings.auto_detect_main_branch,
        main_branch_candidates=tuple(settings.main_branch_candidates),
    )


def tag_version(
    session: Session, version: Version, name: str, effects: TagEffects
) -> tuple[Tag, bool]:
    """Tag ``version`` with ``name`` (``True`` when the tag is new), with what a new tag implies.

    A new tag may put a bare, young version on the branch ``name`` and may give the pacticipant
    its main branch. An existing tag changes nothing. Deployments are separate
    (:func:`record_deployment_for_tag`), because only the tag resource records them.
    """
    existing = tags.find_tag(session, version, name)
    if existing is not None:
        return existing, False
    if effects.use_first_tag_as_branch and _is_young_and_bare(session, version):
        put_version_on_branch(session, version, name, effects, auto_created=True)
    adopt_main_branch(session, version.pacticipant, name, effects)
    return tags.add_tag(session, version, name)


def put_version_on_branch(
    session: Session,
    version: Version,
    branch_name: str,
    effects: TagEffects,
    *,
    auto_created: bool = False,
) -> tuple[BranchVersion, bool]:
    """Put ``version`` on ``branch_name`` (its new head) and maybe make that the main branch.

    ``auto_created`` marks a branch version inferred from a tag rather than asked for.
    """
    branch_version, created = branches.add_version_to_branch(
        session, version, branch_name, auto_created=auto_created
    )
    adopt_main_branch(session, version.pacticipant, branch_name, effects)
    return branch_version, created


def record_deployment_for_tag(
    session: Session, version: Version, tag_name: str, effects: TagEffects
) -> deployments.Placement | None:
    """Record ``version`` as deployed to the environment named ``tag_name``, if there is one.

    This is ``record-deployment`` without an application instance, marked auto-created: the
    version replaces the one deployed there before, and a version already deployed there is
    left as it is (its existing deployment is returned, never a second one).
    """
    if not effects.create_deployed_versions_for_tags:
        return None
    environment = find_environment_by_name(session, tag_name)
    if environment is None:
        return None
    placement, _created = deployments.record(
        session, deployments.DEPLOYED, version, environment, auto_created=True
    )
    return placement


def adopt_main_branch(
    session: Session, pacticipant: Pacticipant, name: str, effects: TagEffects
) -> bool:
    """Make ``name`` the pacticipant's main branch if it has none and ``name`` is a candidate.

    The update is conditional in SQL (``WHERE main_branch IS NULL``), so of two concurrent
    writers the first to commit wins and the second leaves it alone. ``True`` when it was set.
    """
    if not effects.auto_detect_main_branch or name not in effects.main_branch_candidates:
        return False
    if pacticipant.main_branch is not None:
        return False
    session.flush()
    adopted = session.execute(
        update(Pacticipant)
        .where(Pacticipant.id == pacticipant.id, Pacticipant.main_branch.is_(None))
        .values(main_branch=name, updated_at=utc_now())
        .returning(Pacticipant.id)
        .execution_options(synchronize_session=False)
    ).first()
    session.refresh(pacticipant, ["main_branch", "updated_at"])
    return adopted is not None


def _is_young_and_bare(session: Session, version: Version) -> bool:
    """Whether ``version`` has no tag and no branch yet and was created within the window."""
    if utc_now() - version.created_at > FIRST_TAG_AS_BRANCH_WINDOW:
        return False
    has_tag = exists().where(Tag.version_id == version.id)
    has_branch = exists().where(BranchVersion.version_id == version.id)
    return not session.scalar(select(has_tag | has_branch))
