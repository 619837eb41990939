"""Does the broker stay flat as history grows? can-i-deploy, /matrix, for-verification and the UI
index at full size and at 1 %, each against a heartbeat measured in the same run.

Run from the repository root::

    python -m benchmarks.broker_scale [--scales 0.01,1] [--databases sqlite,postgres]
        [--requests 60] [--plans]

Full size (scale 1) is the issue's data set: 100 pacticipants (50 consumers, 50 providers, each
consumer integrating with two providers), 200,000 versions (150,000 consumer, 50,000 provider;
every fourth consumer version on one of 50 feature branches, the rest on ``main``; every tenth
tagged), 300,000 pact publications (every consumer version publishes two pacts, the content
changing every tenth version: 30,000 pact versions), about 1,000,000 verification rows (each
pact version verified by ~33 provider versions, 5 % failing) including one hot pact version with
15,000 (every version of its provider verified it 15 times, as a provider verifying every 15
minutes does), and three environments each with a current and 20 earlier deployments per
pacticipant. The data is bulk-inserted (no HTTP) in chunks.

The broker runs as its own process (uvicorn, one worker) and is asked sequentially over loopback;
every round asks each endpoint once and the heartbeat once, so slow-downs of the machine (2
shared cores) hit all of them alike. ``--plans`` prints the query plans of can-i-deploy's
statements and flags full scans of the big tables.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from accord_broker.db.engine import Database
from accord_broker.db.migrate import migrate
from accord_broker.db.models import (
    Branch,
    BranchVersion,
    DeployedVersion,
    Environment,
    Integration,
    LatestPactPublication,
    LatestVerification,
    Pacticipant,
    PactPublication,
    PactVersion,
    Tag,
    Verification,
    Version,
)
from accord_broker.domain import matrix
from accord_broker.domain.branch_verifications import rebuild_branch_verifications
from accord_broker.domain.tags import rebuild_tag_heads
from sqlalchemy import Engine, event, insert, text
from sqlalchemy.engine import Connection

from accord.testing import free_port, start_postgres, start_process

NOW = datetime.now(UTC)
CONSUMERS = PROVIDERS = 50
ENVIRONMENTS = ("production", "staging", "test")
CHUNK = 5000
WARM_UP_ROUNDS = 15
"""Rounds asked before measuring: a long-running broker's steady state, in which each pooled
PostgreSQL connection has prepared the statements it runs (psycopg prepares a statement on its
5th execution, and PostgreSQL settles on a generic plan after 5 more); until then a statement
is planned on every execution."""
BIG_TABLES = (
    "versions",
    "branch_versions",
    "pact_publications",
    "latest_pact_publications",
    "verifications",
    "latest_verifications",
    "pact_versions",
    "branch_verifications",
)


@dataclass(frozen=True)
class Shape:
    """The data set at one scale."""

    scale: float
    consumer_versions: int
    provider_versions: int
    hot_repeats: int

    @classmethod
    def at(cls, scale: float) -> "Shape":
        return cls(
            scale=scale,
            consumer_versions=max(20, round(3000 * scale)),
            provider_versions=max(10, round(1000 * scale)),
            hot_repeats=15,
        )


def _consumer_id(c: int) -> int:
    return 1 + c


def _provider_id(p: int) -> int:
    return 1 + CONSUMERS + p


def _content(consumer: int, provider: int, m: int) -> str:
    return json.dumps(
        {
            "consumer": {"name": f"C{consumer:02d}"},
            "provider": {"name": f"P{provider:02d}"},
            "interactions": [
                {
                    "type": "Synchronous/HTTP",
                    "description": f"request {m}",
                    "request": {"method": "GET", "path": f"/things/{m}"},
                    "response": {"status": 200, "body": {"content": {"id": m}}},
                }
            ],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )


class Seeder:
    """Generates the rows table by table with their ids, and inserts them in chunks."""

    def __init__(self, connection: Connection, shape: Shape) -> None:
        self.connection = connection
        self.shape = shape
        self.counts: dict[str, int] = {}
        nc, np_ = shape.consumer_versions, shape.provider_versions
        # version ids: consumers first, then providers, each a contiguous block
        self.consumer_version_id = lambda c, n: 1 + c * nc + n
        self.provider_version_id = lambda p, k: 1 + CONSUMERS * nc + p * np_ + k
        self.pact_versions_per_pair = (nc + 9) // 10

    def _insert(self, model: Any, rows: Iterator[dict[str, Any]]) -> None:
        chunk: list[dict[str, Any]] = []
        total = 0
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self.connection.execute(insert(model), chunk)
                total += len(chunk)
                chunk = []
        if chunk:
            self.connection.execute(insert(model), chunk)
            total += len(chunk)
        self.counts[model.__tablename__] = total

    def _providers_of(self, c: int) -> tuple[int, int]:
        return c % PROVIDERS, (c + 1) % PROVIDERS

    def _consumer_created(self, n: int) -> datetime:
        return NOW - timedelta(minutes=10 * (self.shape.consumer_versions - n))

    def _provider_created(self, k: int) -> datetime:
        return NOW - timedelta(minutes=30 * (self.shape.provider_versions - k))

    def seed(self) -> dict[str, int]:
        shape = self.shape
        self._insert(Pacticipant, self._pacticipants())
        self._insert(Environment, self._environments())
        self._insert(Version, self._versions())
        self._insert(Branch, self._branches())
        self._insert(BranchVersion, self._branch_versions())
        self._insert(Tag, self._tags())
        self._insert(Integration, self._integrations())
        self._insert(PactVersion, self._pact_versions())
        self._insert(PactPublication, self._publications())
        self._insert(LatestPactPublication, self._latest_publications())
        self._insert(Verification, self._verifications())
        self._insert(LatestVerification, self._latest_verifications())
        self._insert(DeployedVersion, self._deployments())
        assert shape.consumer_versions > 0
        return self.counts

    def _pacticipants(self) -> Iterator[dict[str, Any]]:
        for i in range(CONSUMERS + PROVIDERS):
            name = f"C{i:02d}" if i < CONSUMERS else f"P{i - CONSUMERS:02d}"
            yield {
                "id": 1 + i,
                "name": name,
                "display_name": name,
                "main_branch": "main",
                "created_at": NOW,
                "updated_at": NOW,
            }

    def _environments(self) -> Iterator[dict[str, Any]]:
        for i, name in enumerate(ENVIRONMENTS):
            yield {
                "id": 1 + i,
                "uuid": str(uuid.uuid4()),
                "name": name,
                "display_name": name.title(),
                "production": name == "production",
                "created_at": NOW,
                "updated_at": NOW,
            }

    def _versions(self) -> Iterator[dict[str, Any]]:
        for c in range(CONSUMERS):
            for n in range(self.shape.consumer_versions):
                created = self._consumer_created(n)
                yield {
                    "id": self.consumer_version_id(c, n),
                    "pacticipant_id": _consumer_id(c),
                    "number": f"{n}.0.0",
                    "order": n + 1,
                    "created_at": created,
                    "updated_at": created,
                }
        for p in range(PROVIDERS):
            for k in range(self.shape.provider_versions):
                created = self._provider_created(k)
                yield {
                    "id": self.provider_version_id(p, k),
                    "pacticipant_id": _provider_id(p),
                    "number": f"p{k}",
                    "order": k + 1,
                    "created_at": created,
                    "updated_at": created,
                }

    def _branch_of(self, n: int) -> str:
        return f"feat-{(n // 4) % 50}" if n % 4 == 3 else "main"

    def _branch_key(self, c: int, name: str) -> int:
        index = 0 if name == "main" else 1 + int(name.split("-")[1])
        return 1 + c * 51 + index

    def _branches(self) -> Iterator[dict[str, Any]]:
        nc = self.shape.consumer_versions
        for c in range(CONSUMERS):
            heads: dict[str, int] = {}
            for n in range(nc):
                heads[self._branch_of(n)] = self.consumer_version_id(c, n)
            for name, head in heads.items():
                yield {
                    "id": self._branch_key(c, name),
                    "pacticipant_id": _consumer_id(c),
                    "name": name,
                    "head_version_id": head,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
        for p in range(PROVIDERS):
            yield {
                "id": 1 + CONSUMERS * 51 + p,
                "pacticipant_id": _provider_id(p),
                "name": "main",
                "head_version_id": self.provider_version_id(p, self.shape.provider_versions - 1),
                "created_at": NOW,
                "updated_at": NOW,
            }

    def _branch_versions(self) -> Iterator[dict[str, Any]]:
        for c in range(CONSUMERS):
            for n in range(self.shape.consumer_versions):
                name = self._branch_of(n)
                yield {
                    "branch_id": self._branch_key(c, name),
                    "version_id": self.consumer_version_id(c, n),
                    "pacticipant_id": _consumer_id(c),
                    "branch_name": name,
                    "version_order": n + 1,
                    "created_at": self._consumer_created(n),
                }
        for p in range(PROVIDERS):
            for k in range(self.shape.provider_versions):
                yield {
                    "branch_id": 1 + CONSUMERS * 51 + p,
                    "version_id": self.provider_version_id(p, k),
                    "pacticipant_id": _provider_id(p),
                    "branch_name": "main",
                    "version_order": k + 1,
                    "created_at": self._provider_created(k),
                }

    def _tags(self) -> Iterator[dict[str, Any]]:
        for c in range(CONSUMERS):
            for n in range(0, self.shape.consumer_versions, 10):
                yield {
                    "version_id": self.consumer_version_id(c, n),
                    "pacticipant_id": _consumer_id(c),
                    "name": f"release-{n // 100}",
                    "version_order": n + 1,
                    "created_at": self._consumer_created(n),
                }

    def _integrations(self) -> Iterator[dict[str, Any]]:
        for c in range(CONSUMERS):
            for p in self._providers_of(c):
                yield {
                    "consumer_id": _consumer_id(c),
                    "provider_id": _provider_id(p),
                    "created_at": NOW,
                    "contract_data_updated_at": NOW,
                }

    def _pact_version_id(self, c: int, slot: int, m: int) -> int:
        return 1 + (c * 2 + slot) * self.pact_versions_per_pair + m

    def _pact_versions(self) -> Iterator[dict[str, Any]]:
        for c in range(CONSUMERS):
            for slot, p in enumerate(self._providers_of(c)):
                for m in range(self.pact_versions_per_pair):
                    yield {
                        "id": self._pact_version_id(c, slot, m),
                        "consumer_id": _consumer_id(c),
                        "provider_id": _provider_id(p),
                        "sha": uuid.uuid4().hex,
                        "content": _content(c, p, m),
                        "interactions_count": 1,
                        "messages_count": 0,
                        "created_at": self._consumer_created(m * 10),
                    }

    def _publication_rows(self) -> Iterator[tuple[int, int, int, int, int, datetime]]:
        publication = 0
        for c in range(CONSUMERS):
            for n in range(self.shape.consumer_versions):
                for slot, p in enumerate(self._providers_of(c)):
                    publication += 1
                    yield (
                        (
                            publication,
                            self.consumer_version_id(c, n),
                            _consumer_id(c),
                            _provider_id(p),
                            self._pact_version_id(c, slot, n // 10),
                            n,
                        ),
                        self._consumer_created(n),
                    )

    def _publications(self) -> Iterator[dict[str, Any]]:
        for (pub, cv, consumer, provider, pv, n), created in self._publication_rows():
            yield {
                "id": pub,
                "consumer_version_id": cv,
                "provider_id": provider,
                "consumer_id": consumer,
                "revision_number": 1,
                "pact_version_id": pv,
                "consumer_version_order": n + 1,
                "created_at": created,
            }

    def _latest_publications(self) -> Iterator[dict[str, Any]]:
        for (pub, cv, consumer, provider, pv, n), created in self._publication_rows():
            yield {
                "consumer_version_id": cv,
                "provider_id": provider,
                "consumer_id": consumer,
                "pact_publication_id": pub,
                "pact_version_id": pv,
                "consumer_version_order": n + 1,
                "created_at": created,
            }

    def _verification_rows(self) -> Iterator[dict[str, Any]]:
        np_ = self.shape.provider_versions
        per = self.pact_versions_per_pair
        spread = max(1, round(1_000_000 / (CONSUMERS * 2 * 3000 / 10)))  # ~33 per pact version
        ident = 0
        for c in range(CONSUMERS):
            for slot, p in enumerate(self._providers_of(c)):
                for m in range(per):
                    pv = self._pact_version_id(c, slot, m)
                    hot = c == 0 and slot == 0 and m == per - 1
                    start = min(np_ - 1, (m * np_) // per)
                    provider_versions = (
                        range(np_) if hot else range(start, min(np_, start + spread))
                    )
                    repeats = self.shape.hot_repeats if hot else 1
                    number = 0
                    for k in provider_versions:
                        for _ in range(repeats):
                            ident += 1
                            number += 1
                            created = self._provider_created(k)
                            yield {
                                "id": ident,
                                "number": number,
                                "pact_version_id": pv,
                                "provider_version_id": self.provider_version_id(p, k),
                                "consumer_id": _consumer_id(c),
                                "provider_id": _provider_id(p),
                                "success": ident % 20 != 0,
                                "wip": False,
                                "execution_date": created,
                                "created_at": created,
                            }

    def _verifications(self) -> Iterator[dict[str, Any]]:
        return self._verification_rows()

    def _latest_verifications(self) -> Iterator[dict[str, Any]]:
        latest: dict[tuple[int, int], dict[str, Any]] = {}
        previous: tuple[int, int] | None = None
        for row in self._verification_rows():
            key = (row["pact_version_id"], row["provider_version_id"])
            if previous is not None and key != previous and previous in latest:
                yield latest.pop(previous)
            latest[key] = {
                "pact_version_id": key[0],
                "provider_version_id": key[1],
                "verification_id": row["id"],
                "consumer_id": row["consumer_id"],
                "provider_id": row["provider_id"],
                "created_at": row["created_at"],
            }
            previous = key
        yield from latest.values()

    def _deployments(self) -> Iterator[dict[str, Any]]:
        for env_index in range(len(ENVIRONMENTS)):
            for i in range(CONSUMERS + PROVIDERS):
                is_consumer = i < CONSUMERS
                count = (
                    self.shape.consumer_versions if is_consumer else self.shape.provider_versions
                )
                for back in range(20, -1, -1):
                    index = max(0, count - 1 - env_index * 5 - back)
                    vid = (
                        self.consumer_version_id(i, index)
                        if is_consumer
                        else self.provider_version_id(i - CONSUMERS, index)
                    )
                    created = NOW - timedelta(hours=back + 1)
                    yield {
                        "uuid": str(uuid.uuid4()),
                        "version_id": vid,
                        "pacticipant_id": 1 + i,
                        "environment_id": 1 + env_index,
                        "target_for_index": "",
                        "auto_created": False,
                        "created_at": created,
                        "updated_at": created,
                        "undeployed_at": None if back == 0 else created + timedelta(minutes=30),
                    }


def seed(database_url: str, shape: Shape) -> tuple[dict[str, int], float]:
    migrate(database_url)
    database = Database(database_url)
    started = time.perf_counter()
    with database.engine.begin() as connection:
        counts = Seeder(connection, shape).seed()
    # Derived rows the broker's write paths keep, bulk-filled as the history was
    database.write(rebuild_branch_verifications)
    database.write(rebuild_tag_heads)
    with database.engine.begin() as connection:
        for derived in ("branch_verifications", "tag_heads"):
            counts[derived] = connection.scalar(text(f"SELECT count(*) FROM {derived}"))
        connection.execute(text("ANALYZE"))
    database.dispose()
    return counts, time.perf_counter() - started


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "n": len(ordered)}


def requests_for(shape: Shape) -> dict[str, Callable[[requests.Session, str], requests.Response]]:
    """The questions asked in every round (hot consumer C00 and its provider P00)."""
    hot_consumer_version = f"{shape.consumer_versions - 1}.0.0"
    provider_version = f"p{shape.provider_versions - 1}"
    since = (NOW - timedelta(days=30)).date().isoformat()
    body = {
        "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
        "includePendingStatus": True,
        "includeWipPactsSince": since,
        "providerVersionBranch": "main",
    }
    hal = {"Accept": "application/hal+json"}
    return {
        "heartbeat": lambda s, b: s.get(f"{b}/diagnostic/status/heartbeat", headers=hal),
        "can-i-deploy consumer": lambda s, b: s.get(
            f"{b}/matrix?q[][pacticipant]=C00&q[][version]={hot_consumer_version}"
            "&latestby=cvpv&environment=production",
            headers=hal,
        ),
        "can-i-deploy provider": lambda s, b: s.get(
            f"{b}/matrix?q[][pacticipant]=P00&q[][version]={provider_version}"
            "&latestby=cvpv&environment=production",
            headers=hal,
        ),
        "matrix (one version, hot pact)": lambda s, b: s.get(
            f"{b}/matrix?q[][pacticipant]=C00&q[][version]={hot_consumer_version}",
            headers=hal,
        ),
        "for-verification (WIP)": lambda s, b: s.post(
            f"{b}/pacts/provider/P00/for-verification", json=body, headers=hal
        ),
        # a provider's first build on a new branch: every pact's pending status is asked of a
        # branch that verified nothing yet (before branch_verifications: 98 ms on PostgreSQL)
        "for-verification (new branch)": lambda s, b: s.post(
            f"{b}/pacts/provider/P00/for-verification",
            json={**body, "providerVersionBranch": "feat-new"},
            headers=hal,
        ),
        "UI index": lambda s, b: s.get(f"{b}/", headers={"Accept": "text/html"}),
    }


def measure(
    url: str, shape: Shape, rounds: int, only: frozenset[str] = frozenset()
) -> dict[str, dict[str, float]]:
    asks = {
        name: ask
        for name, ask in requests_for(shape).items()
        if not only or name == "heartbeat" or any(word in name for word in only)
    }
    samples: dict[str, list[float]] = {name: [] for name in asks}
    with requests.Session() as session:
        for round_number in range(rounds + WARM_UP_ROUNDS):
            for name, ask in asks.items():
                started = time.perf_counter()
                response = ask(session, url)
                elapsed = time.perf_counter() - started
                if response.status_code >= 400:
                    raise RuntimeError(f"{name}: HTTP {response.status_code} {response.text[:300]}")
                if round_number >= WARM_UP_ROUNDS:
                    samples[name].append(elapsed)
    return {name: _percentiles(values) for name, values in samples.items()}


@contextmanager
def broker_process(database_url: str) -> Iterator[str]:
    """The broker as its users start it (``python -m accord_broker``), in its own process,
    without access logs (nobody reads its output pipe)."""
    port = free_port()
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port), "--no-access-log"]
    env = {"ACCORD_BROKER_DATABASE_URL": database_url, "ACCORD_BROKER_MIGRATE_ON_START": "false"}
    with start_process(argv, port=port, env=env, timeout=60) as handle:
        yield f"http://127.0.0.1:{handle.port}"


def _for_verification_answer(session: Any, shape: Shape) -> None:
    from accord_broker.domain.for_verification import pacts_for_verification
    from accord_broker.domain.selectors import parse_for_verification_request

    since = (NOW - timedelta(days=30)).date().isoformat()
    body = {
        "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
        "includePendingStatus": True,
        "includeWipPactsSince": since,
        "providerVersionBranch": "main",
    }
    pacts_for_verification(session, "P00", parse_for_verification_request(body))


def _can_i_deploy_answer(session: Any, shape: Shape) -> None:
    query = matrix.parse_matrix_query(
        f"q[][pacticipant]=C00&q[][version]={shape.consumer_versions - 1}.0.0"
        "&latestby=cvpv&environment=production"
    )
    matrix.answer(session, query)


def _ui_index_answer(session: Any, shape: Shape) -> None:
    from accord_broker.domain.overview import load_overview

    load_overview(session)


ANSWERS: dict[str, Callable[[Any, Shape], None]] = {
    "can-i-deploy": _can_i_deploy_answer,
    "for-verification": _for_verification_answer,
    "UI index": _ui_index_answer,
}


def capture_plans(database_url: str, shape: Shape) -> dict[str, list[tuple[str, list[str]]]]:
    """For each answer in ``ANSWERS``: every statement it runs with its plan, in-process (the
    answer's own ``SET LOCAL`` planner settings are replayed before its EXPLAINs)."""
    database = Database(database_url)
    engine: Engine = database.engine
    explain = "EXPLAIN QUERY PLAN " if database.dialect == "sqlite" else "EXPLAIN "
    report = {}
    for name, answer in ANSWERS.items():
        statements: list[tuple[str, Any]] = []

        def remember(
            _conn: Any,
            _cursor: Any,
            statement: str,
            params: Any,
            *_: Any,
            into: list[tuple[str, Any]] = statements,
        ) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "WITH", "SET")):
                into.append((statement, params))

        event.listen(engine, "before_cursor_execute", remember)
        with database.read_session() as session:
            answer(session, shape)
        event.remove(engine, "before_cursor_execute", remember)
        plans = []
        with engine.connect() as connection:
            for statement, params in statements:
                cursor = connection.connection.cursor()
                if statement.lstrip().upper().startswith("SET"):
                    cursor.execute(statement)  # the answer's planner settings
                    continue
                cursor.execute(explain + statement, params)
                rows = cursor.fetchall()
                lines = [str(row[-1] if database.dialect == "sqlite" else row[0]) for row in rows]
                plans.append((" ".join(statement.split())[:160], lines))
        report[name] = plans
    database.dispose()
    return report


def full_scans(plans: list[tuple[str, list[str]]]) -> list[str]:
    found = []
    for _statement, lines in plans:
        for line in lines:
            for table in BIG_TABLES:
                sqlite_scan = line.startswith(f"SCAN {table}") and "USING" not in line
                pg_scan = f"Seq Scan on {table} " in line or line.endswith(f"Seq Scan on {table}")
                if sqlite_scan or pg_scan:
                    found.append(line.strip())
    return found


@dataclass(frozen=True)
class Options:
    """How one run is made: rounds, plans, which requests, and whether to keep the data."""

    rounds: int
    plans: bool
    only: frozenset[str] = frozenset()
    keep: Path | None = None
    """Keep the seeded databases (SQLite files in this directory, PostgreSQL databases named
    by scale) and reuse them in later runs: seeding once, measuring many times."""


def _database_url(
    database: str, scale: float, tmp: str, pg_admin: str | None, keep: Path | None
) -> tuple[str, bool]:
    """The URL to seed (or reuse), and whether it already holds the data set."""
    tag = str(scale).replace(".", "_")
    if database == "sqlite":
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
        path = (keep or Path(tmp)) / f"scale-{tag}.sqlite"
        return f"sqlite:///{path}", keep is not None and path.exists()
    assert pg_admin is not None
    import psycopg

    name = (
        f"accord_scale_keep_{tag}" if keep is not None else f"accord_scale_{uuid.uuid4().hex[:8]}"
    )
    dsn = pg_admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return pg_admin.rsplit("/", 1)[0] + f"/{name}", exists is not None


def run(database: str, scale: float, options: Options, pg_admin: str | None) -> Any:
    shape = Shape.at(scale)
    with tempfile.TemporaryDirectory() as tmp:
        url, seeded = _database_url(database, scale, tmp, pg_admin, options.keep)
        if seeded:
            migrate(url)  # new migrations (indexes) apply to the kept data
            with Database(url).engine.begin() as connection:
                connection.execute(text("ANALYZE"))
            counts: dict[str, int] = {}
            seconds = 0.0
            print(f"[{database} x{scale}] reusing {url}", flush=True)
        else:
            counts, seconds = seed(url, shape)
            print(f"[{database} x{scale}] seeded in {seconds:.0f}s: {counts}", flush=True)
        plan_report = capture_plans(url, shape) if options.plans else {}
        with broker_process(url) as base:
            results = measure(base, shape, options.rounds, options.only)
    return {"counts": counts, "seed_seconds": seconds, "results": results, "plans": plan_report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="0.01,1")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=60, help="rounds per run")
    parser.add_argument("--plans", action="store_true")
    parser.add_argument(
        "--only", default="", help="comma-separated parts of request names (heartbeat always runs)"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="directory to keep (and reuse) seeded databases in"
    )
    parser.add_argument(
        "--postgres-url", default=None, help="an existing server (admin URL) instead of a new one"
    )
    args = parser.parse_args()
    options = Options(
        args.requests,
        args.plans,
        frozenset(word for word in args.only.split(",") if word),
        args.keep,
    )
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    scales = [float(s) for s in args.scales.split(",")]
    databases = args.databases.split(",")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus")
    server = start_postgres() if "postgres" in databases and not args.postgres_url else None
    report: dict[str, Any] = {}
    try:
        for database in databases:
            for scale in scales:
                pg = server.url if server is not None else args.postgres_url
                outcome = run(database, scale, options, pg)
                report[f"{database} x{scale}"] = outcome
                _print(database, scale, outcome)
    finally:
        if server is not None:
            server.stop()
    _verdict(report, databases, scales)


def _print(database: str, scale: float, outcome: dict[str, Any]) -> None:
    results = outcome["results"]
    heartbeat = results["heartbeat"]["p95"]
    print(f"\n[{database} x{scale}] latency ms (n={results['heartbeat']['n']} each)")
    print(f"{'request':34} {'p50':>8} {'p95':>8} {'p99':>8} {'p95/heartbeat':>14}")
    for name, r in results.items():
        ratio = r["p95"] / heartbeat if heartbeat else float("nan")
        print(f"{name:34} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} {ratio:14.1f}")
    for answer, plans in outcome["plans"].items():
        scans = full_scans(plans)
        print(f"{answer}: {len(plans)} statements, full scans of big tables: {scans}")
        for statement, lines in plans:
            print(f"  {statement}")
            for line in lines:
                print(f"      {line}")


def _verdict(report: dict[str, Any], databases: list[str], scales: list[float]) -> None:
    if len(scales) < 2:
        return
    small, large = min(scales), max(scales)
    print("\nflat growth (p95 at largest / p95 at smallest; target <= 1.5):")
    for database in databases:
        a = report[f"{database} x{small}"]["results"]
        b = report[f"{database} x{large}"]["results"]
        for name in b:
            if name == "heartbeat":
                continue
            print(f"  {database:9} {name:34} {b[name]['p95'] / a[name]['p95']:6.2f}")


if __name__ == "__main__":
    main()
