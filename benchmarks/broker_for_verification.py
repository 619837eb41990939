"""for-verification latency (p50/p95) of the accord broker at 100 consumers x 200 versions.

Run from the repository root: ``python -m benchmarks.broker_for_verification
[--consumers 100 --versions 200 --requests 200 --databases sqlite,postgres --plans]``.

The database is seeded with bulk SQL (no HTTP): one provider, ``--consumers`` consumers with
``--versions`` versions each (3 in 4 on ``main``, the rest on their own feature branch; every
20th tagged ``prod``), one pact per version (every other version re-publishes the previous
content), publication dates spread over the last 200 days, two successful verifications per pact
version by provider versions on ``main``, two environments with a current and an earlier
deployment per consumer and a supported release. A real broker (uvicorn, one process) then
answers ``POST /pacts/provider/Accounts/for-verification`` over loopback, sequentially, in two
shapes: what ``pact verifier --consumer-version-selectors '{"mainBranch":true}'
'{"deployedOrReleased":true}' --enable-pending --include-wip-pacts-since <7 days ago>
--provider-branch main`` sends, and what pact-python sends without selectors (the defaults).
``--plans`` prints the EXPLAIN output of every statement one request runs.
"""

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from accord_broker import Settings, create_app
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
    ReleasedVersion,
    Tag,
    Verification,
    Version,
)
from accord_broker.domain.for_verification.resolution import pacts_for_verification
from accord_broker.domain.for_verification.selectors import parse_for_verification_request
from sqlalchemy import Engine, event, insert, text
from sqlalchemy.orm import Session

from accord.testing import serve_app, start_postgres

PROVIDER = "Accounts"
NOW = datetime.now(UTC)


def verifier_body() -> dict[str, Any]:
    return {
        "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
        "includePendingStatus": True,
        "includeWipPactsSince": (NOW - timedelta(days=7)).date().isoformat(),
        "providerVersionBranch": "main",
    }


DEFAULTS_BODY: dict[str, Any] = {"consumerVersionSelectors": [], "includePendingStatus": False}


def _content(consumer: int, n: int) -> str:
    return json.dumps(
        {
            "consumer": {"name": f"C{consumer:03d}"},
            "provider": {"name": PROVIDER},
            "interactions": [
                {
                    "type": "Synchronous/HTTP",
                    "description": f"request {n}",
                    "request": {"method": "GET", "path": f"/accounts/{n}"},
                    "response": {"status": 200},
                }
            ],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )


def seed(database_url: str, consumers: int, versions: int) -> None:
    """Bulk-insert the data set (ids assigned here so related rows can refer to each other)."""
    migrate(database_url)
    database = Database(database_url)
    rows: dict[type, list[dict[str, Any]]] = {m: [] for m in _ORDER}
    ids = {"version": 0, "pv": 0, "pub": 0, "branch": 0, "ver": 0}

    def next_id(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    provider_id = 1
    rows[Pacticipant].append(_pacticipant(provider_id, PROVIDER, "main"))
    for env_id, name in ((1, "production"), (2, "test")):
        rows[Environment].append(
            {
                "id": env_id,
                "uuid": str(uuid.uuid4()),
                "name": name,
                "display_name": name,
                "production": env_id == 1,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
    provider_versions = []
    main_branch_id = next_id("branch")
    for p in range(versions):
        vid = next_id("version")
        provider_versions.append(vid)
        rows[Version].append(
            _version(vid, provider_id, f"p{p}", vid, NOW - timedelta(days=300 - p))
        )
        rows[BranchVersion].append(_branch_version(main_branch_id, vid, provider_id, "main", vid))
    rows[Branch].append(_branch(main_branch_id, provider_id, "main", provider_versions[-1]))
    for c in range(consumers):
        consumer_id = 2 + c
        rows[Pacticipant].append(_pacticipant(consumer_id, f"C{c:03d}", "main"))
        rows[Integration].append(
            {
                "consumer_id": consumer_id,
                "provider_id": provider_id,
                "created_at": NOW,
                "contract_data_updated_at": NOW,
            }
        )
        main_id = next_id("branch")
        head = 0
        pv_id = 0
        for n in range(versions):
            vid = next_id("version")
            created = NOW - timedelta(days=versions - n, minutes=c)
            rows[Version].append(_version(vid, consumer_id, f"{n}.0.0", vid, created))
            if n % 4 == 3:
                feature = next_id("branch")
                rows[Branch].append(_branch(feature, consumer_id, f"feat-{n}", vid))
                rows[BranchVersion].append(
                    _branch_version(feature, vid, consumer_id, f"feat-{n}", vid)
                )
            else:
                rows[BranchVersion].append(_branch_version(main_id, vid, consumer_id, "main", vid))
                head = vid
            if n % 20 == 0:
                rows[Tag].append(
                    {
                        "version_id": vid,
                        "pacticipant_id": consumer_id,
                        "name": "prod",
                        "version_order": vid,
                        "created_at": created,
                    }
                )
            if n % 2 == 0:
                pv_id = next_id("pv")
                rows[PactVersion].append(
                    {
                        "id": pv_id,
                        "consumer_id": consumer_id,
                        "provider_id": provider_id,
                        "sha": uuid.uuid4().hex,
                        "content": _content(c, n),
                        "interactions_count": 1,
                        "messages_count": 0,
                        "created_at": created,
                    }
                )
                for k in range(2):
                    ver = next_id("ver")
                    pver = provider_versions[(n + k) % versions]
                    rows[Verification].append(
                        {
                            "id": ver,
                            "number": k + 1,
                            "pact_version_id": pv_id,
                            "provider_version_id": pver,
                            "consumer_id": consumer_id,
                            "provider_id": provider_id,
                            "success": True,
                            "wip": False,
                            "execution_date": created,
                            "created_at": created,
                        }
                    )
                    rows[LatestVerification].append(
                        {
                            "pact_version_id": pv_id,
                            "provider_version_id": pver,
                            "verification_id": ver,
                            "consumer_id": consumer_id,
                            "provider_id": provider_id,
                            "created_at": created,
                        }
                    )
            pub = next_id("pub")
            rows[PactPublication].append(
                {
                    "id": pub,
                    "consumer_version_id": vid,
                    "provider_id": provider_id,
                    "consumer_id": consumer_id,
                    "revision_number": 1,
                    "pact_version_id": pv_id,
                    "consumer_version_order": vid,
                    "created_at": created,
                }
            )
            rows[LatestPactPublication].append(
                {
                    "consumer_version_id": vid,
                    "provider_id": provider_id,
                    "consumer_id": consumer_id,
                    "pact_publication_id": pub,
                    "pact_version_id": pv_id,
                    "consumer_version_order": vid,
                    "created_at": created,
                }
            )
            if n in (versions - 20, versions - 10):
                for env_id in (1, 2):
                    rows[DeployedVersion].append(
                        {
                            "uuid": str(uuid.uuid4()),
                            "version_id": vid,
                            "pacticipant_id": consumer_id,
                            "environment_id": env_id,
                            "target_for_index": "",
                            "auto_created": False,
                            "created_at": created,
                            "updated_at": created,
                            "undeployed_at": None
                            if n == versions - 10
                            else created + timedelta(days=1),
                        }
                    )
            if n == versions - 30:
                rows[ReleasedVersion].append(
                    {
                        "uuid": str(uuid.uuid4()),
                        "version_id": vid,
                        "pacticipant_id": consumer_id,
                        "environment_id": 1,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
        rows[Branch].append(_branch(main_id, consumer_id, "main", head))

    def work(session: Session) -> None:
        for model in _ORDER:
            if rows[model]:
                session.execute(insert(model), rows[model])

    database.write(work)
    with database.engine.begin() as connection:
        if database.dialect == "postgresql":
            connection.execute(text("ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
    database.dispose()


_ORDER: list[type] = [
    Pacticipant,
    Environment,
    Version,
    Branch,
    BranchVersion,
    Tag,
    Integration,
    PactVersion,
    PactPublication,
    LatestPactPublication,
    Verification,
    LatestVerification,
    DeployedVersion,
    ReleasedVersion,
]


def _pacticipant(pid: int, name: str, main: str) -> dict[str, Any]:
    return {
        "id": pid,
        "name": name,
        "display_name": name,
        "main_branch": main,
        "created_at": NOW,
        "updated_at": NOW,
    }


def _version(
    vid: int, pacticipant: int, number: str, order: int, created: datetime
) -> dict[str, Any]:
    return {
        "id": vid,
        "pacticipant_id": pacticipant,
        "number": number,
        "order": order,
        "created_at": created,
        "updated_at": created,
    }


def _branch(bid: int, pacticipant: int, name: str, head: int) -> dict[str, Any]:
    return {
        "id": bid,
        "pacticipant_id": pacticipant,
        "name": name,
        "head_version_id": head,
        "created_at": NOW - timedelta(days=400),
        "updated_at": NOW,
    }


def _branch_version(bid: int, vid: int, pacticipant: int, name: str, order: int) -> dict[str, Any]:
    return {
        "branch_id": bid,
        "version_id": vid,
        "pacticipant_id": pacticipant,
        "branch_name": name,
        "version_order": order,
        "auto_created": False,
        "created_at": NOW,
    }


@contextmanager
def _database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{Path(directory) / 'bench.sqlite'}"
        return
    given = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if given:
        import psycopg

        name = f"accord_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(given.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        yield given.rsplit("/", 1)[0] + "/" + name
        return
    server = start_postgres()
    try:
        yield server.url
    finally:
        server.stop()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(url: str, body: dict[str, Any], requests_count: int) -> tuple[list[float], int]:
    with requests.Session() as http:
        target = f"{url}/pacts/provider/{PROVIDER}/for-verification"
        count = 0
        for _ in range(20):
            response = http.post(target, json=body, timeout=60)
            response.raise_for_status()
            count = len(response.json()["_embedded"]["pacts"])
        timings = []
        for _ in range(requests_count):
            started = time.perf_counter()
            http.post(target, json=body, timeout=60).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings, count


def _heartbeats(url: str, count: int) -> list[float]:
    timings = []
    with requests.Session() as http:
        for _ in range(count):
            started = time.perf_counter()
            http.get(f"{url}/diagnostic/status/heartbeat", timeout=60).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def statements_of(database_url: str, body: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every statement one for-verification computation runs, with its parameters."""
    database = Database(database_url)
    captured: list[tuple[str, Any]] = []

    def capture(
        _c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool
    ) -> None:
        captured.append((statement, parameters))

    engine: Engine = database.engine
    event.listen(engine, "before_cursor_execute", capture)
    with database.read_session() as session:
        captured.clear()
        pacts_for_verification(session, PROVIDER, parse_for_verification_request(body))
    event.remove(engine, "before_cursor_execute", capture)
    plans = []
    with database.engine.connect() as connection:
        for statement, parameters in captured:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            prefix = (
                "EXPLAIN QUERY PLAN "
                if database.dialect == "sqlite"
                else "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "
            )
            result = connection.exec_driver_sql(prefix + statement, parameters).all()
            lines = [str(r[-1]) if database.dialect == "sqlite" else str(r[0]) for r in result]
            plans.append((statement, "\n".join(lines)))
    database.dispose()
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--consumers", type=int, default=100)
    parser.add_argument("--versions", type=int, default=200, help="versions per consumer")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per shape")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--plans", action="store_true", help="print the query plans")
    args = parser.parse_args()
    print(f"# {args.consumers} consumers x {args.versions} versions; {platform.python_version()}")
    shapes: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("verifier: mainBranch + deployedOrReleased, pending, WIP, branch", verifier_body),
        ("pact-python defaults (no selectors)", lambda: DEFAULTS_BODY),
    ]
    for kind in args.databases.split(","):
        with _database(kind) as database_url:
            started = time.perf_counter()
            seed(database_url, args.consumers, args.versions)
            print(f"\n## {kind}: seeded in {time.perf_counter() - started:.1f} s")
            settings = Settings(database_url=database_url)
            with serve_app(create_app(settings)) as server:
                beats = _heartbeats(server.url, args.requests)
                print(
                    f"| {kind} | heartbeat (reference: server + machine noise) | - | "
                    f"{statistics.median(beats):.1f} ms | {_percentile(beats, 0.95):.1f} ms | "
                    f"{_percentile(beats, 0.99):.1f} ms |"
                )
                for name, body in shapes:
                    timings, count = measure(server.url, body(), args.requests)
                    print(
                        f"| {kind} | {name} | {count} | {statistics.median(timings):.1f} ms | "
                        f"{_percentile(timings, 0.95):.1f} ms | "
                        f"{_percentile(timings, 0.99):.1f} ms |"
                    )
            if args.plans:
                for statement, plan in statements_of(database_url, verifier_body()):
                    print("\n```sql\n" + statement.strip() + "\n```\n```\n" + plan + "\n```")


if __name__ == "__main__":
    main()
