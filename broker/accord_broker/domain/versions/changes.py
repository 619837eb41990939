"""The changes a route makes to versions, tags and branches, each one domain function.

Each takes the request's session (its unit of work owns the transaction and retries it on a
race) and the names from the URL, makes the change with its effects (a tag may set the
version's branch and record a deployment; see ``tag_effects``), and returns the read model
the route renders, so routes neither compose domain calls nor hold stored records.
"""

from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.versions import branches, tag_effects, tags, versions
from accord_broker.domain.versions import views as version_views
from accord_broker.domain.versions.bodies import VersionBody
from accord_broker.domain.versions.tag_effects import TagEffects
from accord_broker.domain.versions.views import BranchVersionView, TagView, VersionView


def upsert_version(
    session: Session, pacticipant: str, number: str, body: VersionBody, *, replace_tags: bool
) -> tuple[VersionView, bool]:
    """Create or update a version from its body; the view and whether it was created."""
    version, created = versions.upsert_version(
        session, pacticipant, number, body, replace_tags=replace_tags
    )
    return version_views.view_of(session, version), created


def tag_version(
    session: Session, pacticipant: str, number: str, tag: str, effects: TagEffects
) -> tuple[TagView, bool]:
    """Tag a version (created with its pacticipant if missing), with the tag's effects.

    The deployment a tag implies is recorded even when the tag existed, as the Pact Broker's
    tag resource does."""
    version, _ = versions.ensure_version(session, pacticipant, number)
    created_tag, created = tag_effects.tag_version(session, version, tag, effects)
    tag_effects.record_deployment_for_tag(session, version, tag, effects)
    return version_views.tag_view_of(version, created_tag), created


def untag_version(session: Session, pacticipant: str, number: str, tag: str) -> None:
    """Remove a tag from a version (404 when the version or the tag does not exist)."""
    tags.delete_tag(session, versions.get_version(session, pacticipant, number), tag)


def delete_branch(session: Session, pacticipant: str, branch: str) -> None:
    """Delete a branch (its versions stay)."""
    owner = get_pacticipant(session, pacticipant)
    branches.delete_branch(session, branches.get_branch(session, owner, branch))


def put_on_branch(
    session: Session, pacticipant: str, number: str, branch: str, effects: TagEffects
) -> tuple[BranchVersionView, bool]:
    """Put a version on a branch; pacticipant, version and branch are created as needed."""
    version, _ = versions.ensure_version(session, pacticipant, number)
    placed, created = tag_effects.put_version_on_branch(session, version, branch, effects)
    found = branches.get_branch(session, version.pacticipant, branch)
    return version_views.branch_version_view_of(found, version, placed), created


def remove_from_branch(session: Session, pacticipant: str, number: str, branch: str) -> None:
    """Take a version off a branch."""
    version = versions.get_version(session, pacticipant, number)
    found = branches.get_branch(session, version.pacticipant, branch)
    branches.remove_version_from_branch(session, found, version)
