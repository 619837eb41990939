"""The SQL behind for-verification: every selector as one set-based SELECT, all in one round trip.

Each primitive selector becomes a SELECT that starts from the provider's integrations (one row
per consumer, ``ix_integrations_provider_id``) and reaches the selected consumer version through
an index seek: the branch head (``branches`` unique ``(pacticipant_id, name)`` →
``head_version_id``), the tag head (the top of ``ix_tags_pacticipant_id_name_version_order`` →
its ``version_id``), the newest pact (the top of
``ix_latest_pact_publications_provider_consumer_order``), or the current deployments and releases.
The pact is then the current revision in ``latest_pact_publications`` (primary key
``(consumer_version_id, provider_id)``). No step scans a consumer's history, so the cost grows with
the number of consumers, not with the number of versions. The SELECTs are glued with UNION ALL and
tagged with the index of the selector they answer.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    ScalarSelect,
    Select,
    SQLColumnExpression,
    and_,
    exists,
    false,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    DeployedVersion,
    Environment,
    Integration,
    LatestPactPublication,
    Pacticipant,
    PactVersion,
    ReleasedVersion,
    Tag,
    Version,
)
from accord_broker.domain.for_verification.selectors import Selector, SelectorKind
from accord_broker.domain.pacticipants.pacticipants import PACTICIPANT_ID_BY_NAME, PACTICIPANT_NAME

LPP = LatestPactPublication
PROVIDER = PACTICIPANT_ID_BY_NAME
"""The provider the statements are about, found by name inside them (one round trip fewer
than looking it up first) and bound at execution, so the statements are built only once."""
ProviderId = int | BindParameter[int] | ScalarSelect[int]
# Aliases built once: building them per request costs more than running the queries.
CONSUMER = aliased(Pacticipant, name="consumer")
HEAD_BRANCH = aliased(Branch, name="head_branch")
NEWEST_TAG = aliased(Tag, name="newest_tag")
TAGGED = aliased(Tag, name="tagged")
NEWEST_PACT = aliased(LPP, name="newest_pact")
DEPLOYED = aliased(DeployedVersion, name="deployed")
RELEASED = aliased(ReleasedVersion, name="released")
ENVIRONMENT = aliased(Environment, name="environment")
MAIN_BRANCH_EXISTS = aliased(Branch, name="main_branch_exists")
MAIN_TAG_EXISTS = aliased(Tag, name="main_tag_exists")


@dataclass(frozen=True, slots=True)
class SelectedRow:
    """One consumer version (and its pact) selected by the selector at ``selector_index``.

    ``label`` is the branch name for "every branch" selectors and the tag name for the default
    main-line tag selector; ``environment``/``production`` are set for deployed/released rows.
    """

    selector_index: int
    consumer_id: int
    consumer_name: str
    consumer_main_branch: str | None
    consumer_version_id: int
    consumer_version_number: str
    consumer_version_order: int
    pact_version_id: int
    sha: str
    published_at: datetime
    label: str | None = None
    environment: str | None = None
    production: bool = False
    settled: bool | None = None
    """Whether the pact is no longer pending for the provider branch, when the statement was
    asked for it (``pending.with_branch_settlement``)."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """A primitive selector to run, optionally skipping some consumers (fallbacks: those the
    main selector already found a pact for)."""

    index: int
    selector: Selector
    excluded_consumer_ids: frozenset[int] = frozenset()


class DefaultMainLine:
    """Indexes (relative to a start) of the three per-consumer default main-line selects."""

    MAIN_BRANCH = 0
    MAIN_BRANCH_TAG = 1
    OVERALL_LATEST = 2
    COUNT = 3


def selected_columns(
    index: int,
    consumer: Any,
    *,
    label: SQLColumnExpression[Any] | None = None,
    environment: SQLColumnExpression[Any] | None = None,
    production: SQLColumnExpression[Any] | None = None,
) -> list[SQLColumnExpression[Any]]:
    """The columns every SELECT yields: ids, not details. The version's number and the pact's
    sha are read once, for the rows kept (``with_details``), not for every candidate a SELECT
    walks past (WIP tests 160 heads to keep a few)."""
    return [
        literal(index).label("selector_index"),
        consumer.id.label("consumer_id"),
        consumer.name.label("consumer_name"),
        consumer.main_branch.label("consumer_main_branch"),
        LPP.consumer_version_id.label("consumer_version_id"),
        LPP.pact_version_id.label("pact_version_id"),
        LPP.created_at.label("published_at"),
        (label if label is not None else null()).label("label"),
        (environment if environment is not None else null()).label("environment"),
        (production if production is not None else false()).label("production"),
    ]


@lru_cache(maxsize=256)
def with_details(chosen: CompoundSelect[Any] | Select[Any]) -> Select[Any]:
    """``chosen``'s rows in ``SelectedRow``'s field order, with the consumer version's number
    and order and the pact's sha (two primary-key seeks per row kept). Cached per ``chosen``
    object, so an identical request reuses the same statement (and its memoized cache key)."""
    rows = chosen.subquery("chosen")
    return (
        select(
            rows.c.selector_index,
            rows.c.consumer_id,
            rows.c.consumer_name,
            rows.c.consumer_main_branch,
            rows.c.consumer_version_id,
            Version.number.label("consumer_version_number"),
            Version.order.label("consumer_version_order"),
            rows.c.pact_version_id,
            PactVersion.sha.label("sha"),
            rows.c.published_at,
            rows.c.label,
            rows.c.environment,
            rows.c.production,
        )
        .join(Version, Version.id == rows.c.consumer_version_id)
        .join(PactVersion, PactVersion.id == rows.c.pact_version_id)
    )


def _consumers(
    provider_id: ProviderId, consumer: Any, selector: Selector, excluded: frozenset[int]
) -> list[ColumnElement[bool]]:
    """The WHERE terms choosing which consumers of the provider a lookup is about."""
    terms: list[ColumnElement[bool]] = [Integration.provider_id == provider_id]
    if selector.consumer is not None:
        terms.append(consumer.name == selector.consumer)
    if excluded:
        terms.append(consumer.id.not_in(sorted(excluded)))
    return terms


def _pact_of(provider_id: ProviderId, version_id: Any) -> list[ColumnElement[bool]]:
    """Join terms: the current pact of ``version_id`` for the provider (a primary-key seek)."""
    return [LPP.consumer_version_id == version_id, LPP.provider_id == provider_id]


def _from_integrations(consumer: Any) -> Select[Any]:
    return select().select_from(Integration).join(consumer, consumer.id == Integration.consumer_id)


def _branch_heads(
    provider_id: ProviderId,
    lookup: Lookup,
    consumer: Any,
    branch_name: SQLColumnExpression[Any] | str | None,
) -> Select[Any]:
    branch = HEAD_BRANCH
    on = [branch.pacticipant_id == consumer.id, branch.head_version_id.is_not(None)]
    if branch_name is not None:
        on.append(branch.name == branch_name)
    query = (
        _from_integrations(consumer)
        .add_columns(*selected_columns(lookup.index, consumer, label=branch.name))
        .join(branch, and_(*on))
        .join(LPP, and_(*_pact_of(provider_id, branch.head_version_id)))
    )
    return query.where(
        *_consumers(provider_id, consumer, lookup.selector, lookup.excluded_consumer_ids)
    )


def _tag_heads(
    provider_id: ProviderId, lookup: Lookup, consumer: Any, tag_name: SQLColumnExpression[Any] | str
) -> Select[Any]:
    """The pact of each consumer's newest version tagged ``tag_name``: that version's id is a
    correlated subquery (the top of ``ix_tags_pacticipant_id_name_version_order``) and the
    pact a primary-key seek by it. Joined instead, through the versions' ``order``, SQLite
    without ``ANALYZE`` statistics (a broker's own database: nothing runs ``ANALYZE``) walked
    every pact of the provider first and probed the versions from them, a cost that grew with
    the history (issue #20)."""
    tag = NEWEST_TAG
    head = (
        select(tag.version_id)
        .where(tag.pacticipant_id == consumer.id, tag.name == tag_name)
        .order_by(tag.version_order.desc())
        .limit(1)
        .scalar_subquery()
    )
    label = tag_name if not isinstance(tag_name, str) else literal(tag_name)
    query = (
        _from_integrations(consumer)
        .add_columns(*selected_columns(lookup.index, consumer, label=label))
        .join(LPP, and_(*_pact_of(provider_id, head)))
    )
    return query.where(
        *_consumers(provider_id, consumer, lookup.selector, lookup.excluded_consumer_ids)
    )


def _all_tagged(
    provider_id: ProviderId, lookup: Lookup, consumer: Any, tag_name: str
) -> Select[Any]:
    tag = TAGGED
    query = (
        _from_integrations(consumer)
        .add_columns(*selected_columns(lookup.index, consumer, label=literal(tag_name)))
        .join(tag, and_(tag.pacticipant_id == consumer.id, tag.name == tag_name))
        .join(LPP, and_(*_pact_of(provider_id, tag.version_id)))
    )
    return query.where(
        *_consumers(provider_id, consumer, lookup.selector, lookup.excluded_consumer_ids)
    )


def _overall_latest(provider_id: ProviderId, lookup: Lookup, consumer: Any) -> Select[Any]:
    """Each consumer's newest pact with the provider: its consumer version is a correlated
    subquery (the top of ``ix_latest_pact_publications_provider_consumer_order``) and the pact
    a primary-key seek by it, so the walk starts from the integrations whatever statistics
    the planner has (see :func:`_tag_heads`)."""
    inner = NEWEST_PACT
    newest = (
        select(inner.consumer_version_id)
        .where(inner.provider_id == provider_id, inner.consumer_id == consumer.id)
        .order_by(inner.consumer_version_order.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        _from_integrations(consumer)
        .add_columns(*selected_columns(lookup.index, consumer))
        .join(LPP, and_(*_pact_of(provider_id, newest)))
    )
    return query.where(
        *_consumers(provider_id, consumer, lookup.selector, lookup.excluded_consumer_ids)
    )


def _deployed(provider_id: ProviderId, lookup: Lookup, consumer: Any) -> Select[Any]:
    deployed = DEPLOYED
    env = ENVIRONMENT
    env_on = [env.id == deployed.environment_id]
    if lookup.selector.environment is not None:
        env_on.append(env.name == lookup.selector.environment)
    query = (
        _from_integrations(consumer)
        .add_columns(
            *selected_columns(
                lookup.index, consumer, environment=env.name, production=env.production
            )
        )
        .join(
            deployed,
            and_(deployed.pacticipant_id == consumer.id, deployed.undeployed_at.is_(None)),
        )
        .join(env, and_(*env_on))
        .join(LPP, and_(*_pact_of(provider_id, deployed.version_id)))
    )
    return query.where(
        *_consumers(provider_id, consumer, lookup.selector, lookup.excluded_consumer_ids)
    )


def _released(provider_id: ProviderId, lookup: Lookup, consumer: Any) -> Select[Any]:
    released = RELEASED
    env = ENVIRONMENT
    env_on = [env.id == released.environment_id]
    if lookup.selector.environment is not None:
        env_on.append(env.name == lookup.selector.environment)
    query = (
        _from_integrations(consumer)
        .add_columns(
            *selected_columns(
                lookup.index, consumer, environment=env.name, production=env.production
            )
        )
        .join(
            released,
            and_(released.pacticipant_id == consumer.id, released.support_ended_at.is_(None)),
        )
        .join(env, and_(*env_on))
        .join(LPP, and_(*_pact_of(provider_id, released.version_id)))
    )
    return query.where(
        *_consumers(provider_id, consumer, lookup.selector, lookup.excluded_consumer_ids)
    )


@lru_cache(maxsize=1024)
def lookup_select(lookup: Lookup) -> Select[Any]:
    """The SELECT answering one primitive selector, for the provider bound at execution
    (``run_selects``). Built once per lookup: building costs more than running it."""
    provider_id = PROVIDER
    consumer = CONSUMER
    selector = lookup.selector
    kind = selector.kind
    if kind is SelectorKind.MAIN_BRANCH:
        return _branch_heads(provider_id, lookup, consumer, consumer.main_branch)
    if kind is SelectorKind.EVERY_BRANCH:
        return _branch_heads(provider_id, lookup, consumer, None)
    if kind is SelectorKind.BRANCH:
        assert isinstance(selector.branch, str)
        return _branch_heads(provider_id, lookup, consumer, selector.branch)
    if kind is SelectorKind.LATEST_TAG:
        assert selector.tag is not None
        return _tag_heads(provider_id, lookup, consumer, selector.tag)
    if kind is SelectorKind.ALL_TAG:
        assert selector.tag is not None
        return _all_tagged(provider_id, lookup, consumer, selector.tag)
    if kind is SelectorKind.DEPLOYED:
        return _deployed(provider_id, lookup, consumer)
    if kind is SelectorKind.RELEASED:
        return _released(provider_id, lookup, consumer)
    return _overall_latest(provider_id, lookup, consumer)


@lru_cache(maxsize=16)
def default_main_line_selects(start: int) -> tuple[Select[Any], ...]:
    """Per consumer, exactly one of: its main-branch head's pact (when the main branch has a
    head), else the pact of the newest version tagged with the main branch's name (when one is so
    tagged), else its newest pact. Indexes are ``start + DefaultMainLine.*``."""
    provider_id = PROVIDER
    branch = MAIN_BRANCH_EXISTS
    tag = MAIN_TAG_EXISTS
    selects = []
    everyone = Selector(latest=True)

    def has_main_head(consumer: Any) -> ColumnElement[bool]:
        return exists().where(
            branch.pacticipant_id == consumer.id,
            branch.name == consumer.main_branch,
            branch.head_version_id.is_not(None),
        )

    def has_main_tag(consumer: Any) -> ColumnElement[bool]:
        return exists().where(tag.pacticipant_id == consumer.id, tag.name == consumer.main_branch)

    consumer = CONSUMER
    lookup = Lookup(start + DefaultMainLine.MAIN_BRANCH, everyone)
    selects.append(_branch_heads(provider_id, lookup, consumer, consumer.main_branch))
    consumer = CONSUMER
    lookup = Lookup(start + DefaultMainLine.MAIN_BRANCH_TAG, everyone)
    selects.append(
        _tag_heads(provider_id, lookup, consumer, consumer.main_branch).where(
            ~has_main_head(consumer)
        )
    )
    consumer = CONSUMER
    lookup = Lookup(start + DefaultMainLine.OVERALL_LATEST, everyone)
    selects.append(
        _overall_latest(provider_id, lookup, consumer).where(
            ~has_main_head(consumer),
            ~and_(consumer.main_branch.is_not(None), has_main_tag(consumer)),
        )
    )
    return tuple(selects)


@lru_cache(maxsize=256)
def _union(selects: tuple[Select[Any], ...]) -> CompoundSelect[Any]:
    """The same selectors give the same (cached) SELECTs, hence the same union object: its
    cache key, a walk of the whole statement that SQLAlchemy memoizes per object, is computed
    once instead of on every request."""
    return union_all(*selects)


def run_selects(
    session: Session,
    provider_name: str,
    selects: Sequence[Select[Any]],
    params: dict[str, Any] | None = None,
    wrap: Callable[[Any], Select[Any]] | None = None,
) -> list[SelectedRow]:
    """All the selects' rows in one statement (UNION ALL), for the provider called
    ``provider_name`` (and ``params``, the values of any other bind parameters). ``wrap`` adds
    columns to the union (the ``settled`` of ``SelectedRow``)."""
    if not selects:
        return []
    statement: Any = with_details(selects[0] if len(selects) == 1 else _union(tuple(selects)))
    if wrap is not None:
        statement = wrap(statement)
    values = {PACTICIPANT_NAME.key: provider_name, **(params or {})}
    # On the session's connection (Core), not through the ORM: the rows are plain tuples, and
    # the ORM's statement handling cost 3 % of the request.
    rows = session.connection().execute(statement, values).all()
    # positional: the columns are selected in SelectedRow's field order (cheaper than _asdict)
    return [SelectedRow(*row) for row in rows]
