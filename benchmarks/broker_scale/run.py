"""One run: a database at one scale, seeded (or reused), the broker started as its users start
it, every question asked round after round with the heartbeat, samples turned into
percentiles."""

import base64
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from accord_broker.db.engine import Database
from accord_broker.db.migrate import migrate
from sqlalchemy import inspect, text

from accord.testing import free_port, start_process
from benchmarks.broker_scale import consistency
from benchmarks.broker_scale.catalogue import HEARTBEAT, questions_for
from benchmarks.broker_scale.question import Question
from benchmarks.broker_scale.seed import SEEDING_TIMEOUT_MS, seed, seeded
from benchmarks.broker_scale.shape import PROVIDER_CONTRACT_VERSIONS, Shape, provider_version_number

WARM_UP_ROUNDS = 10
"""Rounds asked before measuring: a long-running broker's steady state, in which each pooled
PostgreSQL connection has prepared the statements it runs (psycopg prepares a statement on its
5th execution, and PostgreSQL settles on a generic plan after 5 more)."""


@dataclass(frozen=True)
class Options:
    """How one run is made: rounds, plans, which questions, and whether to keep the data."""

    rounds: int
    plans: bool
    only: frozenset[str] = frozenset()
    keep: Path | None = None
    """Keep the seeded databases (SQLite files in this directory, PostgreSQL databases named
    by scale) and reuse them in later runs: seeding once, measuring many times."""


@dataclass
class Outcome:
    counts: dict[str, int]
    seed_seconds: float
    results: dict[str, dict[str, float]]
    routes: dict[str, str]
    plans: dict[str, list[tuple[str, float, list[str]]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    """Questions answered with an HTTP error, with the first error."""


def selected(shape: Shape, only: frozenset[str]) -> list[Question]:
    return [
        q
        for q in questions_for(shape)
        if not only or q.name == HEARTBEAT or any(word in q.name for word in only)
    ]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "n": 0}

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "n": len(ordered)}


def ask(session: requests.Session, base: str, question: Question) -> requests.Response:
    return session.request(
        question.method,
        base + question.path(),
        json=question.body if question.method == "POST" else None,
        headers={"Accept": question.accept},
        allow_redirects=False,
    )


SLOW_SECONDS = 0.5
"""A question whose first answer takes longer is far over both bounds whatever its p95: it is
warmed up twice and measured ``SLOW_SAMPLES`` times (its p95 is then its slowest sample), so
one slow route cannot stretch a run to hours."""
SLOW_SAMPLES = 7


def measure(
    base: str, asked: list[Question], rounds: int
) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Percentiles per question, and the questions answered with an error (asked no more:
    one failing route, e.g. a statement timeout at full size, must not void the run).

    The whole lists are asked in rounds of their own, after the others. Each moves megabytes
    through the broker (21 MB allocated for one branch's 4,500 versions) and leaves the CPU's
    caches cold: mixed in, the question asked right after one paid for it, ~2.5 ms more at full
    size (``branch latest version`` after ``branch versions``: 6.1 ms against 3.3 ms without
    it), which read as that question's growth. A whole list is bounded per item
    (``report.py``), so it is measured the same either way.
    """
    samples: dict[str, list[float]] = {q.name: [] for q in asked}
    errors: dict[str, str] = {}
    bounded = [q for q in asked if q.whole_list is None]
    whole = [q for q in asked if q.whole_list is not None]
    with requests.Session() as session:
        for group in (bounded, whole):
            _ask_in_rounds(session, base, group, rounds, samples=samples, errors=errors)
    return {name: _percentiles(values) for name, values in samples.items()}, errors


def _ask_in_rounds(
    session: requests.Session,
    base: str,
    asked: list[Question],
    rounds: int,
    *,
    samples: dict[str, list[float]],
    errors: dict[str, str],
) -> None:
    slow: set[str] = set()
    for round_number in range(rounds + WARM_UP_ROUNDS):
        measuring = round_number >= WARM_UP_ROUNDS
        for question in asked:
            if question.name in errors:
                continue
            if question.name in slow and not _slow_turn(round_number, len(samples[question.name])):
                continue
            started = time.perf_counter()
            response = ask(session, base, question)
            elapsed = time.perf_counter() - started
            if response.status_code >= 400:
                errors[question.name] = (
                    f"HTTP {response.status_code} after {elapsed:.1f}s: "
                    f"{' '.join(response.text[:200].split())}"
                )
                print(
                    f"ERROR {question.name}: {question.method} {question.path()}: "
                    f"{errors[question.name]}",
                    flush=True,
                )
                continue
            if round_number == 0 and elapsed > SLOW_SECONDS and question.name != HEARTBEAT:
                slow.add(question.name)
            if measuring:
                samples[question.name].append(elapsed)


def _slow_turn(round_number: int, measured: int) -> bool:
    """Warm up twice, then measure ``SLOW_SAMPLES`` times."""
    if round_number < WARM_UP_ROUNDS:
        return round_number < 2
    return measured < SLOW_SAMPLES


@contextmanager
def broker_process(database_url: str) -> Iterator[str]:
    """The broker as its users start it (``python -m accord_broker``), in its own process,
    without access logs (nobody reads its output pipe) and without the webhook worker (the
    seeded deliveries are all done)."""
    port = free_port()
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port), "--no-access-log"]
    env = {
        "ACCORD_BROKER_DATABASE_URL": database_url,
        "ACCORD_BROKER_MIGRATE_ON_START": "false",
        "ACCORD_BROKER_WEBHOOK_WORKER_ENABLED": "false",
    }
    with start_process(argv, port=port, env=env, timeout=60) as handle:
        yield f"http://127.0.0.1:{handle.port}"


OPENAPI = """\
openapi: 3.1.0
info: {{title: P00, version: "{version}"}}
paths:
  /things/{{id}}:
    get:
      parameters: [{{name: id, in: path, required: true, schema: {{type: integer}}}}]
      responses:
        "200":
          description: a thing
          content:
            application/json:
              schema:
                type: object
                properties:
                  content: {{type: object, properties: {{id: {{type: integer}}}}}}
"""


def publish_provider_contracts(base: str, shape: Shape) -> None:
    """Two OpenAPI documents of P00 through the API, so the broker computes the comparisons
    with the pacts itself (skipped when a kept database has them)."""
    with requests.Session() as session:
        for back in range(PROVIDER_CONTRACT_VERSIONS, 0, -1):
            number = provider_version_number(shape.provider_versions - back)
            url = f"{base}/provider-contracts/provider/P00/version/{number}"
            if session.get(url, headers={"Accept": "application/hal+json"}).ok:
                continue
            document = OPENAPI.format(version=number)
            body = {
                "pacticipantVersionNumber": number,
                "branch": "main",
                "contract": {
                    "content": base64.b64encode(document.encode()).decode(),
                    "contentType": "application/yaml",
                    "specification": "oas",
                    "selfVerificationResults": {"success": True, "verifier": "schemathesis"},
                },
            }
            publish = f"{base}/provider-contracts/provider/P00/publish"
            try:
                response = session.post(publish, json=body)
            except requests.ConnectionError:  # seen once at full size on a loaded machine
                time.sleep(5)
                response = session.post(publish, json=body)
            if not response.ok:
                raise RuntimeError(f"provider contract {number}: HTTP {response.status_code}")


def database_url(
    database: str, scale: float, tmp: str, pg_admin: str | None, keep: Path | None
) -> tuple[str, bool]:
    """The URL to seed (or reuse), and whether it may already hold the data set."""
    tag = str(scale).replace(".", "_")
    if database == "sqlite":
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
        path = (keep or Path(tmp)) / f"scale20-{tag}.sqlite"
        return f"sqlite:///{path}", keep is not None and path.exists()
    assert pg_admin is not None
    import psycopg

    name = (
        f"accord_scale20_keep_{tag}"
        if keep is not None
        else f"accord_scale20_{uuid.uuid4().hex[:8]}"
    )
    dsn = pg_admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return pg_admin.rsplit("/", 1)[0] + f"/{name}", exists is not None


def _schema_revision(url: str) -> str | None:
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
            return str(revision) if revision is not None else None
    finally:
        database.dispose()


def reuse(url: str) -> str:
    """Bring a kept database to the newest schema; ``ANALYZE`` only when a migration ran (new
    indexes on kept data), so reusing an unchanged database costs a second, not a scan."""
    before = _schema_revision(url)
    migrate(url)
    after = _schema_revision(url)
    if before == after:
        return f"schema {after}"
    kept = Database(url, statement_timeout_ms=SEEDING_TIMEOUT_MS)
    try:
        with kept.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    finally:
        kept.dispose()
    return f"migrated {before} -> {after}, analysed"


def run(database: str, scale: float, options: Options, pg_admin: str | None) -> Outcome:
    from benchmarks.broker_scale.plans import capture_plans

    shape = Shape.at(scale)
    asked = selected(shape, options.only)
    with tempfile.TemporaryDirectory() as tmp:
        url, maybe_seeded = database_url(database, scale, tmp, pg_admin, options.keep)
        counts: dict[str, int] = {}
        seconds = 0.0
        started = time.perf_counter()
        if maybe_seeded and seeded(url, shape):
            how = reuse(url)
            took = time.perf_counter() - started
            print(f"[{database} x{scale}] reusing {url} ({how}, {took:.1f}s)", flush=True)
        else:
            counts, seconds = seed(url, shape)
            print(f"[{database} x{scale}] seeded in {seconds:.0f}s: {counts}", flush=True)
        with broker_process(url) as base:
            publish_provider_contracts(base, shape)
            checks = consistency.check(base, shape)
            print(f"[{database} x{scale}] {checks} answers consistent with the shape", flush=True)
            results, errors = measure(base, asked, options.rounds)
        plans = capture_plans(url, asked) if options.plans else {}
    routes = {q.name: q.route for q in asked}
    return Outcome(counts, seconds, results, routes, plans, errors)


def summary(outcome: Outcome) -> dict[str, Any]:
    return {"counts": outcome.counts, "seed_seconds": outcome.seed_seconds}
