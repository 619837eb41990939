"""Finding published pacts: latest, by tag, by branch, by consumer version, by content hash.

"Latest" is decided by the consumer version's ``order`` (the most recently created version),
and always reads the current revision through ``latest_pact_publications``.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    Version,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipants
from accord_broker.domain.pacts import pact_lists
from accord_broker.domain.pacts.newest_with_pact import (
    newest_tagged_version_with_pact,
    newest_version_with_pact_on_branch,
)
from accord_broker.errors import BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class PactRef:
    """One pact as served: its content and the consumer version/publication it is shown for."""

    consumer: Pacticipant
    provider: Pacticipant
    consumer_version: Version
    publication: PactPublication
    pact_version: PactVersion

    def content(self) -> dict[str, Any]:
        parsed = json.loads(self.pact_version.content)
        assert isinstance(parsed, dict)
        return parsed


Current = Select[PactPublication, PactVersion, Version, Pacticipant]
_provider = aliased(Pacticipant, name="pact_provider")


def _current_pacts() -> Current:
    """Current revisions with their content, consumer version and provider (one statement for
    any number of pacts: the provider is joined, not looked up per row)."""
    return (
        select(PactPublication, PactVersion, Version, _provider)
        .join(
            LatestPactPublication, LatestPactPublication.pact_publication_id == PactPublication.id
        )
        .join(PactVersion, PactVersion.id == PactPublication.pact_version_id)
        .join(Version, Version.id == PactPublication.consumer_version_id)
        .join(_provider, _provider.id == PactPublication.provider_id)
    )


def _refs(session: Session, query: Current, params: dict[str, Any] | None = None) -> list[PactRef]:
    return [
        PactRef(version.pacticipant, provider, version, publication, pact_version)
        for publication, pact_version, version, provider in session.execute(query, params).all()
    ]


def _one(
    session: Session, query: Current, missing: str, params: dict[str, Any] | None = None
) -> PactRef:
    """The first pact ``query`` finds (its ``LIMIT 1``), or ``missing`` as a 404."""
    refs = _refs(session, query, params)
    if not refs:
        raise BrokerNotFoundError(missing)
    return refs[0]


def _pair(session: Session, provider: str, consumer: str) -> tuple[Pacticipant, Pacticipant]:
    prov, cons = get_pacticipants(session, (provider, "provider"), (consumer, "consumer"))
    return prov, cons


_PROVIDER_ID: Any = bindparam("provider_id")
_CONSUMER_ID: Any = bindparam("consumer_id")
"""The finders' statements are built once, their values bound per call: building one (its
joins, aliases and subqueries) cost more than the indexed lookup it runs."""


@cache
def _pact_for_version_statement() -> Current:
    return (
        _current_pacts()
        .where(
            Version.pacticipant_id == _CONSUMER_ID,
            Version.number == bindparam("number"),
            # the version's own row by primary key, not a walk of the pair's publications
            LatestPactPublication.consumer_version_id == Version.id,
            LatestPactPublication.provider_id == _PROVIDER_ID,
        )
        .limit(1)
    )


def pact_for_version(session: Session, provider: str, consumer: str, number: str) -> PactRef:
    """The pact ``consumer`` version ``number`` published for ``provider`` (current revision)."""
    prov, cons = _pair(session, provider, consumer)
    params = {"provider_id": prov.id, "consumer_id": cons.id, "number": number}
    missing = f"No pact between {consumer} version {number} and {provider} found"
    return _one(session, _pact_for_version_statement(), missing, params)


def delete_pact(session: Session, provider: str, consumer: str, number: str) -> None:
    """Delete the pact of ``consumer`` version ``number`` with ``provider`` (all revisions)."""
    ref = pact_for_version(session, provider, consumer, number)
    session.execute(
        delete(PactPublication).where(
            PactPublication.consumer_version_id == ref.consumer_version.id,
            PactPublication.provider_id == ref.provider.id,
        )
    )


@cache
def _latest_pact_statement(among: str | None) -> Current:
    """The pair's newest pact; ``among``: ``"tag"`` or ``"branch"`` (bound as ``among``)."""
    query = _current_pacts().where(
        LatestPactPublication.provider_id == _PROVIDER_ID,
        LatestPactPublication.consumer_id == _CONSUMER_ID,
    )
    name: Any = bindparam("among")
    if among == "tag":
        newest = newest_tagged_version_with_pact(_PROVIDER_ID, _CONSUMER_ID, name)
        query = query.where(LatestPactPublication.consumer_version_id == newest)
    elif among == "branch":
        newest = newest_version_with_pact_on_branch(_PROVIDER_ID, _CONSUMER_ID, name)
        query = query.where(LatestPactPublication.consumer_version_id == newest)
    return query.order_by(
        LatestPactPublication.consumer_version_order.desc(), PactPublication.id.desc()
    ).limit(1)


def latest_pact(
    session: Session,
    provider: str,
    consumer: str,
    *,
    tag: str | None = None,
    branch: str | None = None,
) -> PactRef:
    """The newest pact between the two, optionally among consumer versions tagged ``tag`` or
    on ``branch`` (at most one of them). With either, the consumer version is found by one
    ordered walk (:mod:`.newest_with_pact`), then its pact by primary key."""
    assert tag is None or branch is None, "latest_pact takes a tag or a branch, not both"
    prov, cons = _pair(session, provider, consumer)
    params: dict[str, Any] = {"provider_id": prov.id, "consumer_id": cons.id}
    among, where = None, ""
    if tag is not None:
        among, params["among"] = "tag", tag
        where = f" for consumer versions tagged '{tag}'"
    if branch is not None:
        among, params["among"] = "branch", branch
        where = f" for consumer versions on branch '{branch}'"
    missing = f"No pact between {consumer} and {provider}{where} found"
    return _one(session, _latest_pact_statement(among), missing, params)


def pact_by_sha(session: Session, provider: str, consumer: str, sha: str) -> PactRef:
    """The pact content ``sha``, shown for the newest consumer version that published it."""
    prov, cons = _pair(session, provider, consumer)
    query = (
        select(PactPublication, PactVersion, Version, _provider)
        .join(PactVersion, PactVersion.id == PactPublication.pact_version_id)
        .join(Version, Version.id == PactPublication.consumer_version_id)
        .join(_provider, _provider.id == PactPublication.provider_id)
        .where(
            PactVersion.consumer_id == cons.id,
            PactVersion.provider_id == prov.id,
            PactVersion.sha == sha,
        )
        .order_by(PactPublication.consumer_version_order.desc(), PactPublication.id.desc())
        .limit(1)
    )
    return _one(session, query, f"No pact between {consumer} and {provider} with sha {sha} found")


def find_pact_version(session: Session, provider: str, consumer: str, sha: str) -> PactVersion:
    prov, cons = _pair(session, provider, consumer)
    found = session.scalar(
        select(PactVersion).where(
            PactVersion.consumer_id == cons.id,
            PactVersion.provider_id == prov.id,
            PactVersion.sha == sha,
        )
    )
    if found is None:
        raise BrokerNotFoundError(f"No pact between {consumer} and {provider} with sha {sha} found")
    return found


latest_pacts_for_provider = pact_lists.latest_pacts_for_provider
"""Each consumer's newest pact for a provider, as listed (kept here for callers of this module)."""


_BRANCH_CONSUMER = aliased(Pacticipant, name="branch_consumer")


@cache
def _branch_heads_statement(main_branch: bool) -> Current:
    """Per consumer of ``provider_id``, the pact of its head on its main branch (or on the
    bound ``branch``)."""
    consumer = _BRANCH_CONSUMER
    branch_name: Any = consumer.main_branch if main_branch else bindparam("branch")
    return (
        _current_pacts()
        .join(consumer, consumer.id == LatestPactPublication.consumer_id)
        .join(
            Branch, and_(Branch.head_version_id == Version.id, Branch.pacticipant_id == consumer.id)
        )
        .where(LatestPactPublication.provider_id == _PROVIDER_ID, Branch.name == branch_name)
    )


def latest_pacts_for_provider_by_branch(
    session: Session, provider: Pacticipant, *, branch: str | None = None
) -> list[PactRef]:
    """Per consumer, the pact of its branch head (``branch``, or each consumer's main branch)."""
    params = {"provider_id": provider.id, "branch": branch}
    refs = _refs(session, _branch_heads_statement(branch is None), params)
    return sorted(refs, key=lambda ref: ref.consumer.name.lower())


def pacts_of_version(session: Session, version: Version) -> Sequence[PactRef]:
    """The current pacts ``version`` (as a consumer) published, one per provider."""
    query = _current_pacts().where(LatestPactPublication.consumer_version_id == version.id)
    return _refs(session, query)


def newest_pact_with_other_content_before(session: Session, current: PactRef) -> PactRef | None:
    """The newest pact of the pair published for an older consumer version than ``current``'s,
    with other content: one ordered ``LIMIT 1`` down the pair's order index, which stops at
    the first different pact instead of loading the pair's history. Within a pair, equal
    content is the same pact version row, so comparing ids compares contents."""
    query = (
        _current_pacts()
        .where(
            LatestPactPublication.provider_id == current.provider.id,
            LatestPactPublication.consumer_id == current.consumer.id,
            LatestPactPublication.consumer_version_order
            < current.publication.consumer_version_order,
            LatestPactPublication.pact_version_id != current.pact_version.id,
        )
        .order_by(LatestPactPublication.consumer_version_order.desc())
        .limit(1)
    )
    refs = _refs(session, query)
    return refs[0] if refs else None
