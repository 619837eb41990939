"""Seeding the history by bulk insert, in chunks (no HTTP): pacticipants, versions, branches,
tags, labels, integrations, pact versions and publications here; verifications, deployments,
releases and webhooks in :mod:`seed_results`; then the derived tables the broker's write paths
keep (``branch_verifications``, ``tag_heads``) are rebuilt by the domain's own functions."""

import time
from collections.abc import Iterator
from typing import Any

from accord_broker.db.engine import Database
from accord_broker.db.migrate import migrate
from accord_broker.db.models import (
    Branch,
    BranchVersion,
    Environment,
    Integration,
    Label,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    Tag,
    Version,
)
from accord_broker.domain.verifications.branch_verifications import rebuild_branch_verifications
from accord_broker.domain.versions.tags import rebuild_tag_heads
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from benchmarks.broker_scale import seed_results
from benchmarks.broker_scale.seed_results import insert_chunked
from benchmarks.broker_scale.shape import (
    CONSUMERS,
    ENVIRONMENTS,
    NOW,
    PROVIDERS,
    Shape,
    branch_of,
    consumer_id,
    consumer_tags,
    consumer_version_number,
    environment_uuid,
    labels_of,
    pact_content,
    pact_sha,
    provider_id,
    provider_tags,
    provider_version_number,
    providers_of,
)

SEEDING_TIMEOUT_MS = 3_600_000
"""Seeding runs without the broker's 15 s statement timeout (the rebuilds read all history)."""


class HistorySeeder:
    """Generates the rows of the history tables with their ids, table by table."""

    def __init__(self, connection: Connection, shape: Shape) -> None:
        self.connection = connection
        self.shape = shape
        self.counts: dict[str, int] = {}

    def _insert(self, model: Any, rows: Iterator[dict[str, Any]]) -> None:
        insert_chunked(self.connection, model, rows, self.counts)

    def seed(self) -> dict[str, int]:
        self._insert(Pacticipant, self._pacticipants())
        self._insert(Label, self._labels())
        self._insert(Environment, self._environments())
        self._insert(Version, self._versions())
        self._insert(Branch, self._branches())
        self._insert(BranchVersion, self._branch_versions())
        self._insert(Tag, self._tags())
        self._insert(Integration, self._integrations())
        self._insert(PactVersion, self._pact_versions())
        self._insert(PactPublication, self._publications())
        self._insert(LatestPactPublication, self._latest_publications())
        seed_results.ResultsSeeder(self.connection, self.shape, self.counts).seed()
        return self.counts

    def _pacticipants(self) -> Iterator[dict[str, Any]]:
        for i in range(CONSUMERS + PROVIDERS):
            name = f"C{i:02d}" if i < CONSUMERS else f"P{i - CONSUMERS:02d}"
            yield {
                "id": 1 + i,
                "name": name,
                "display_name": name,
                "main_branch": "main",
                "repository_url": f"https://git.example.com/bank/{name.lower()}",
                "created_at": NOW,
                "updated_at": NOW,
            }

    def _labels(self) -> Iterator[dict[str, Any]]:
        for i in range(CONSUMERS + PROVIDERS):
            for name in labels_of(i):
                yield {"pacticipant_id": 1 + i, "name": name, "created_at": NOW}

    def _environments(self) -> Iterator[dict[str, Any]]:
        for i, name in enumerate(ENVIRONMENTS):
            yield {
                "id": 1 + i,
                "uuid": environment_uuid(name),
                "name": name,
                "display_name": name.title(),
                "production": name == "production",
                "created_at": NOW,
                "updated_at": NOW,
            }

    def _versions(self) -> Iterator[dict[str, Any]]:
        shape = self.shape
        for c in range(CONSUMERS):
            for n in range(shape.consumer_versions):
                created = shape.consumer_created(n)
                yield {
                    "id": shape.consumer_version_id(c, n),
                    "pacticipant_id": consumer_id(c),
                    "number": consumer_version_number(n),
                    "order": n + 1,
                    "created_at": created,
                    "updated_at": created,
                }
        for p in range(PROVIDERS):
            for k in range(shape.provider_versions):
                created = shape.provider_created(k)
                yield {
                    "id": shape.provider_version_id(p, k),
                    "pacticipant_id": provider_id(p),
                    "number": provider_version_number(k),
                    "order": k + 1,
                    "created_at": created,
                    "updated_at": created,
                }

    def _branch_key(self, c: int, name: str) -> int:
        index = 0 if name == "main" else 1 + int(name.split("-")[1])
        return 1 + c * 51 + index

    def _branches(self) -> Iterator[dict[str, Any]]:
        shape = self.shape
        for c in range(CONSUMERS):
            heads: dict[str, int] = {}
            for n in range(shape.consumer_versions):
                heads[branch_of(n)] = shape.consumer_version_id(c, n)
            for name, head in heads.items():
                yield {
                    "id": self._branch_key(c, name),
                    "pacticipant_id": consumer_id(c),
                    "name": name,
                    "head_version_id": head,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
        for p in range(PROVIDERS):
            yield {
                "id": 1 + CONSUMERS * 51 + p,
                "pacticipant_id": provider_id(p),
                "name": "main",
                "head_version_id": shape.provider_version_id(p, shape.provider_versions - 1),
                "created_at": NOW,
                "updated_at": NOW,
            }

    def _branch_versions(self) -> Iterator[dict[str, Any]]:
        shape = self.shape
        for c in range(CONSUMERS):
            for n in range(shape.consumer_versions):
                name = branch_of(n)
                yield {
                    "branch_id": self._branch_key(c, name),
                    "version_id": shape.consumer_version_id(c, n),
                    "pacticipant_id": consumer_id(c),
                    "branch_name": name,
                    "version_order": n + 1,
                    "created_at": shape.consumer_created(n),
                }
        for p in range(PROVIDERS):
            for k in range(shape.provider_versions):
                yield {
                    "branch_id": 1 + CONSUMERS * 51 + p,
                    "version_id": shape.provider_version_id(p, k),
                    "pacticipant_id": provider_id(p),
                    "branch_name": "main",
                    "version_order": k + 1,
                    "created_at": shape.provider_created(k),
                }

    def _tags(self) -> Iterator[dict[str, Any]]:
        shape = self.shape
        for c in range(CONSUMERS):
            for n in range(shape.consumer_versions):
                for name in consumer_tags(c, n):
                    yield {
                        "version_id": shape.consumer_version_id(c, n),
                        "pacticipant_id": consumer_id(c),
                        "name": name,
                        "version_order": n + 1,
                        "created_at": shape.consumer_created(n),
                    }
        for p in range(PROVIDERS):
            for k in range(shape.provider_versions):
                for name in provider_tags(p, k):
                    yield {
                        "version_id": shape.provider_version_id(p, k),
                        "pacticipant_id": provider_id(p),
                        "name": name,
                        "version_order": k + 1,
                        "created_at": shape.provider_created(k),
                    }

    def _integrations(self) -> Iterator[dict[str, Any]]:
        for c in range(CONSUMERS):
            for p in providers_of(c):
                yield {
                    "consumer_id": consumer_id(c),
                    "provider_id": provider_id(p),
                    "created_at": NOW,
                    "contract_data_updated_at": NOW,
                }

    def _pact_versions(self) -> Iterator[dict[str, Any]]:
        shape = self.shape
        for c in range(CONSUMERS):
            for slot, p in enumerate(providers_of(c)):
                for m in range(shape.pact_versions_per_pair):
                    yield {
                        "id": shape.pact_version_id(c, slot, m),
                        "consumer_id": consumer_id(c),
                        "provider_id": provider_id(p),
                        "sha": pact_sha(c, p, m),
                        "content": pact_content(c, p, m),
                        "interactions_count": 1,
                        "messages_count": 0,
                        "created_at": shape.consumer_created(m * 10),
                    }

    def _publication_rows(self) -> Iterator[dict[str, Any]]:
        shape = self.shape
        for c in range(CONSUMERS):
            for n in range(shape.consumer_versions):
                for slot, p in enumerate(providers_of(c)):
                    yield {
                        "id": shape.publication_id(c, n, slot),
                        "consumer_version_id": shape.consumer_version_id(c, n),
                        "consumer_id": consumer_id(c),
                        "provider_id": provider_id(p),
                        "pact_version_id": shape.pact_version_id(c, slot, n // 10),
                        "consumer_version_order": n + 1,
                        "created_at": shape.consumer_created(n),
                    }

    def _publications(self) -> Iterator[dict[str, Any]]:
        for row in self._publication_rows():
            yield {**row, "revision_number": 1}

    def _latest_publications(self) -> Iterator[dict[str, Any]]:
        for row in self._publication_rows():
            publication = row.pop("id")
            yield {**row, "pact_publication_id": publication}


def _seeded_versions(connection: Connection, shape: Shape) -> int:
    """How many of the shape's versions the database holds (0 before the schema exists)."""
    if not inspect(connection).has_table("versions"):
        return 0
    last = shape.provider_version_id(PROVIDERS - 1, shape.provider_versions - 1)
    query = text("SELECT count(*) FROM versions WHERE id <= :last")
    return int(connection.scalar(query, {"last": last}) or 0)


def _derived_rows(connection: Connection) -> int:
    """Rows in the derived table rebuilt last (0 until the seed finished)."""
    if not inspect(connection).has_table("tag_heads"):
        return 0
    return int(connection.scalar(text("SELECT count(*) FROM (SELECT 1 FROM tag_heads LIMIT 1) t")))


def _expected_versions(shape: Shape) -> int:
    return CONSUMERS * shape.consumer_versions + PROVIDERS * shape.provider_versions


class ShapeMismatchError(RuntimeError):
    """A kept database holds another data set than the one asked for."""


def seeded(database_url: str, shape: Shape) -> bool:
    """Whether the database at ``database_url`` holds the whole data set of ``shape`` (history
    and derived tables): a kept database is reused only then, and a seed that died half-way
    is finished by :func:`seed` instead."""
    database = Database(database_url)
    try:
        with database.engine.connect() as connection:
            versions = _seeded_versions(connection, shape)
            if versions not in (0, _expected_versions(shape)):
                raise ShapeMismatchError(
                    f"{database_url} holds {versions} versions, not the "
                    f"{_expected_versions(shape)} of scale {shape.scale}: "
                    "drop it (or use another --keep directory) to seed it again"
                )
            return versions > 0 and _derived_rows(connection) > 0
    finally:
        database.dispose()


def seed(database_url: str, shape: Shape) -> tuple[dict[str, int], float]:
    """Migrate, bulk-insert the data set, rebuild the derived tables, ``ANALYZE``.

    The history is inserted in one transaction, so a database holds all of it or none; when a
    kept database already holds it (an earlier seed died in the rebuilds), only the derived
    tables are rebuilt."""
    migrate(database_url)
    # the rebuilds of the derived tables read the whole history: no request's timeout
    database = Database(database_url, statement_timeout_ms=SEEDING_TIMEOUT_MS)
    started = time.perf_counter()
    with database.engine.begin() as connection:
        if _seeded_versions(connection, shape) == 0:
            counts = HistorySeeder(connection, shape).seed()
        else:
            counts = {"versions": _seeded_versions(connection, shape)}
    # Derived rows the broker's write paths keep, filled from the history by the domain
    database.write(rebuild_branch_verifications)
    database.write(rebuild_tag_heads)
    with database.engine.begin() as connection:
        for derived in ("branch_verifications", "tag_heads"):
            counts[derived] = connection.scalar(text(f"SELECT count(*) FROM {derived}"))
        _advance_sequences(connection, database.dialect)
        connection.execute(text("ANALYZE"))
    database.dispose()
    return counts, time.perf_counter() - started


def _advance_sequences(connection: Connection, dialect: str) -> None:
    """Explicit ids leave PostgreSQL's sequences at 1: move them past the seeded rows, so
    writes through the API (the provider contracts) get fresh ids."""
    if dialect != "postgresql":
        return
    rows = connection.execute(
        text(
            "SELECT table_name, column_name, pg_get_serial_sequence(table_name, column_name) "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_default LIKE 'nextval%'"
        )
    ).all()
    for table, column, sequence in rows:
        if sequence is None:
            continue
        connection.execute(
            text(
                f"SELECT setval('{sequence}', "
                f'(SELECT coalesce(max("{column}"), 0) + 1 FROM "{table}"), false)'
            )
        )
