"""Where the time of one question goes, in process (``--plans``): the app built over the
seeded database, the question asked a few times to warm up, then once with every SQL
statement timed (SQLAlchemy cursor events) and cProfile on; the slowest statements are
EXPLAINed (the request's own ``SET LOCAL`` planner settings replayed first).

The app is asked through ``httpx``'s ASGI transport on this thread, with FastAPI's thread
pool replaced by a direct call, so cProfile (which sees one thread) sees the endpoint too."""

import asyncio
import cProfile
import pstats
import re
import time
from io import StringIO
from typing import Any

import fastapi.dependencies.utils
import fastapi.routing
import httpx
import psycopg
from accord_broker.app import create_app
from accord_broker.settings import Settings
from psycopg import sql
from sqlalchemy import Engine, create_engine, event

from benchmarks.broker_scale.question import Question

WARM_UP = 5
SLOWEST = 3
BIG_TABLES = (
    "versions",
    "branch_versions",
    "pact_publications",
    "latest_pact_publications",
    "verifications",
    "latest_verifications",
    "pact_versions",
    "branch_verifications",
    "tags",
    "triggered_webhooks",
    "released_versions",
    "deployed_versions",
)

Timed = tuple[str, Any, float]


class StatementClock:
    """Times every statement any engine runs, while ``on``."""

    def __init__(self) -> None:
        self.on = False
        self.timed: list[Timed] = []
        self.settings: list[str] = []

    def before(
        self, _c: Any, _cur: Any, statement: str, params: Any, context: Any, *_: Any
    ) -> None:
        context._scale_started = time.perf_counter()

    def after(self, _c: Any, _cur: Any, statement: str, params: Any, context: Any, *_: Any) -> None:
        if not self.on:
            return
        elapsed = time.perf_counter() - context._scale_started
        if statement.lstrip().upper().startswith("SET"):
            self.settings.append(statement)
        self.timed.append((statement, params, elapsed))


def _explain(url: str, statement: str, params: Any, settings: list[str]) -> list[str]:
    engine = create_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            cursor = connection.connection.cursor()
            if sqlite:
                cursor.execute("EXPLAIN QUERY PLAN " + statement, params)
                return [str(row[-1]) for row in cursor.fetchall()]
            cursor.execute("BEGIN")
            for setting in settings:
                cursor.execute(setting)
            generic = _generic_plan(cursor, statement, params)
            if generic is not None:
                return generic
            cursor.execute("ROLLBACK")
            cursor.execute("BEGIN")
            for setting in settings:
                cursor.execute(setting)
            cursor.execute("EXPLAIN ANALYZE " + statement, params)
            return ["(custom plan: the generic one could not be explained)"] + [
                str(row[0]) for row in cursor.fetchall()
            ]
    finally:
        engine.dispose()


_PYFORMAT = re.compile(r"%\((\w+)\)s")


def _generic_plan(cursor: Any, statement: str, params: Any) -> list[str] | None:
    """The plan the broker runs on PostgreSQL: its connections force generic plans
    (``plan_cache_mode=force_generic_plan``) for the statements psycopg prepares, which a plain
    ``EXPLAIN`` with the values inlined would not show. The statement is ``PREPARE``d with
    ``$n`` parameters and ``EXPLAIN ANALYZE EXECUTE``d with its values as literals."""
    if not isinstance(params, dict):
        return None
    order: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in order:
            order.append(match.group(1))
        return f"${order.index(match.group(1)) + 1}"

    prepared = _PYFORMAT.sub(number, statement).replace("%%", "%")
    values = sql.SQL(", ").join(sql.Literal(params[name]) for name in order)
    try:
        cursor.execute("SAVEPOINT generic")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(sql.SQL("PREPARE scale_generic AS ") + sql.SQL(prepared))
        execute = sql.SQL("EXPLAIN ANALYZE EXECUTE scale_generic")
        cursor.execute(execute + sql.SQL("({})").format(values) if order else execute)
        rows = [str(row[0]) for row in cursor.fetchall()]
        cursor.execute("DEALLOCATE scale_generic")
        return ["(generic plan, as the broker's prepared statements run)", *rows]
    except psycopg.Error:  # a statement PREPARE cannot take: fall back to the custom plan
        cursor.execute("ROLLBACK TO SAVEPOINT generic")
        return None


def _profile_top(profile: cProfile.Profile) -> list[str]:
    out = StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(r"accord_broker|sqlalchemy/(engine|orm)|jinja2", 25)
    return [line for line in out.getvalue().splitlines() if "(" in line and ":" in line][:25]


async def _inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def capture_plans(url: str, asked: list[Question]) -> dict[str, list[tuple[str, float, list[str]]]]:
    """For each question: the request's time, SQL time and count, the slowest statements with
    their plans, and the Python functions the time went to."""
    clock = StatementClock()
    event.listen(Engine, "before_cursor_execute", clock.before)
    event.listen(Engine, "after_cursor_execute", clock.after)
    pooled = fastapi.routing.run_in_threadpool, fastapi.dependencies.utils.run_in_threadpool
    fastapi.routing.run_in_threadpool = _inline  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = _inline  # type: ignore[assignment]
    settings = Settings(database_url=url, migrate_on_start=False, webhook_worker_enabled=False)
    try:
        app = create_app(settings)
        return asyncio.run(_all(app, url, asked, clock))
    finally:
        fastapi.routing.run_in_threadpool, fastapi.dependencies.utils.run_in_threadpool = pooled
        event.remove(Engine, "before_cursor_execute", clock.before)
        event.remove(Engine, "after_cursor_execute", clock.after)


async def _all(
    app: Any, url: str, asked: list[Question], clock: StatementClock
) -> dict[str, list[tuple[str, float, list[str]]]]:
    transport = httpx.ASGITransport(app=app)
    report = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://scale") as client:
        for question in asked:
            report[question.name] = await _one(client, url, question, clock)
    return report


async def _one(
    client: httpx.AsyncClient, url: str, question: Question, clock: StatementClock
) -> list[tuple[str, float, list[str]]]:
    async def ask() -> None:
        await client.request(
            question.method,
            question.path(),
            json=question.body if question.method == "POST" else None,
            headers={"Accept": question.accept},
            follow_redirects=False,
        )

    for _ in range(WARM_UP):
        await ask()
    clock.timed, clock.settings, clock.on = [], [], True
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    await ask()
    profile.disable()
    total = time.perf_counter() - started
    clock.on = False
    timed, settings = clock.timed, clock.settings
    sql = sum(elapsed for *_, elapsed in timed)
    lines: list[tuple[str, float, list[str]]] = [
        (
            f"request {total * 1000:.1f} ms (cProfile on), SQL {sql * 1000:.1f} ms "
            f"in {len(timed)} statements",
            0.0,
            [],
        )
    ]
    for statement, params, elapsed in sorted(timed, key=lambda t: -t[2])[:SLOWEST]:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            plan = _explain(url, statement, params, settings)
        else:
            plan = []
        lines.append((" ".join(statement.split())[:400], elapsed * 1000, plan))
    lines.append(("python (cumulative)", 0.0, _profile_top(profile)))
    return lines


def full_scans(plan: list[str]) -> list[str]:
    found = []
    for line in plan:
        for table in BIG_TABLES:
            sqlite_scan = line.startswith(f"SCAN {table}") and "USING" not in line
            pg_scan = f"Seq Scan on {table} " in line or line.rstrip().endswith(
                f"Seq Scan on {table}"
            )
            if sqlite_scan or pg_scan:
                found.append(line.strip())
    return found
