"""PostgreSQL's generic plan of a captured statement, as the broker's pooled connections run it.

Plan tests capture the SQL the broker sends (psycopg's ``%(name)s`` placeholders) and ask how
many rows of a table the plan visits; shared by the branch-walk and matrix plan tests.
"""

import re
from typing import Any

import psycopg
from psycopg import sql

_PYFORMAT = re.compile(r"%\((\w+)\)s")


def generic_plan(dsn: str, statement: str, params: dict[str, Any]) -> dict[str, Any]:
    """``EXPLAIN (ANALYZE, FORMAT JSON)`` of the statement prepared with ``$n`` parameters and
    a forced generic plan."""
    order: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in order:
            order.append(match.group(1))
        return f"${order.index(match.group(1)) + 1}"

    prepared = _PYFORMAT.sub(number, statement).replace("%%", "%")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("SET plan_cache_mode = force_generic_plan")
        # a test database is a few pages, where scanning a whole table is the cheapest plan;
        # at size it is not: ask for the plan the statement's shape allows with its indexes
        connection.execute("SET enable_seqscan = off")
        connection.execute(sql.SQL("PREPARE read_plan AS ") + sql.SQL(prepared))  # type: ignore[arg-type]
        explain = sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE read_plan")
        if order:
            values = sql.SQL(", ").join(sql.Literal(params[name]) for name in order)
            explain = explain + sql.SQL("({})").format(values)
        row = connection.execute(explain).fetchone()
    assert row is not None
    plan: dict[str, Any] = row[0][0]["Plan"]
    return plan
