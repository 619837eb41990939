"""The ``/metrics`` counts, kept by database triggers as rows of signed changes.

Counting whole tables on every ``GET /metrics`` grows with the history (a million-row
``COUNT(*)`` takes ~50 ms on PostgreSQL, seconds for the matrix count on SQLite). Instead every
insert, delete and relevant update of a counted table adds ``(name, delta)`` rows to
``metric_deltas`` in the same transaction, so the counts stay exact through every write path:
the API, the cleanup command, foreign-key cascades and bulk statements alike. Appending rows
(never updating one counter row) means concurrent writers on PostgreSQL never wait on, or
deadlock over, a shared counter; the reader sums by name and now and then folds the rows
(``domain/operations/metrics.py``).

Inserts and updates are counted after each row on SQLite and after each statement, over its
transition tables, on PostgreSQL (whose row-level ``AFTER`` triggers all run at the statement's
end, so could not see the table row by row); deletes are counted row by row *before* each row
goes, on both (see :func:`trigger_ddl`). Both databases run the same SQL over "the changed rows"
``c``, with the table holding them: each figure's change comes from the changed rows and index
seeks bounded by one group (a consumer version's revisions, a pact version's results), never
by the history. The migration ``0012_metric_counts`` installs them and the initial counts.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from accord_broker.db.metric_models import DELTAS, RESULTS

REVISIONS_PREFIX = "pactRevisionsPerConsumerVersion:"
RESULTS_PREFIX = "verificationResultsPerPactVersion:"
MATRIX = "matrix.count"


@dataclass(frozen=True, slots=True)
class Counted:
    """Rows of the table matching ``where`` (``{a}`` is the row's alias)."""

    name: str
    where: str = "1 = 1"


@dataclass(frozen=True, slots=True)
class Distinct:
    """Distinct ``keys`` among the table's rows matching ``where``."""

    name: str
    keys: tuple[str, ...]
    where: str = "1 = 1"


@dataclass(frozen=True, slots=True)
class Spread:
    """How many groups of ``keys`` have n rows, as counts named ``prefix + n``."""

    prefix: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CountedTable:
    table: str
    columns: tuple[str, ...]
    counted: tuple[Counted, ...] = ()
    distinct: tuple[Distinct, ...] = ()
    spreads: tuple[Spread, ...] = ()
    matrix: str = ""
    """``publications`` or ``results``: this table's share of the Pact Broker's matrix rows."""
    updates: bool = False
    """Whether updates can change a ``counted`` figure (deployments ending, a main branch set)."""


TABLES: tuple[CountedTable, ...] = (
    CountedTable(
        "pacticipants",
        ("id", "main_branch"),
        counted=(
            Counted("pacticipants.count"),
            Counted("pacticipants.withMainBranchSetCount", "{a}.main_branch IS NOT NULL"),
        ),
        updates=True,
    ),
    CountedTable("integrations", ("id",), counted=(Counted("integrations.count"),)),
    CountedTable(
        "pact_publications",
        ("id", "consumer_version_id", "provider_id", "pact_version_id"),
        counted=(Counted("pactPublications.count"),),
        spreads=(Spread(REVISIONS_PREFIX, ("consumer_version_id", "provider_id")),),
        matrix="publications",
    ),
    CountedTable("pact_versions", ("id",), counted=(Counted("pactVersions.count"),)),
    CountedTable(
        "verifications",
        ("id", "provider_version_id", "pact_version_id", "success"),
        counted=(
            Counted("verificationResults.count"),
            Counted("verificationResults.successCount", "{a}.success"),
            Counted("verificationResults.failureCount", "NOT {a}.success"),
        ),
        distinct=(
            Distinct(
                "verificationResults.distinctCount",
                ("pact_version_id", "success", "provider_version_id"),
            ),
        ),
        matrix="results",
    ),
    CountedTable("versions", ("id",), counted=(Counted("pacticipantVersions.count"),)),
    CountedTable(
        "branch_versions",
        ("id", "version_id", "auto_created"),
        distinct=(
            Distinct("pacticipantVersions.withBranchCount", ("version_id",)),
            Distinct(
                "pacticipantVersions.withUserCreatedBranchCount",
                ("version_id",),
                "NOT {a}.auto_created",
            ),
        ),
    ),
    CountedTable("webhooks", ("id",), counted=(Counted("webhooks.count"),)),
    CountedTable(
        "tags",
        ("id", "name", "pacticipant_id"),
        counted=(Counted("tags.count"),),
        distinct=(
            Distinct("tags.distinctCount", ("name",)),
            Distinct("tags.distinctWithPacticipantCount", ("pacticipant_id", "name")),
        ),
    ),
    CountedTable("triggered_webhooks", ("id",), counted=(Counted("triggeredWebhooks.count"),)),
    CountedTable("webhook_executions", ("id",), counted=(Counted("webhookExecutions.count"),)),
    CountedTable("environments", ("id",), counted=(Counted("environments.count"),)),
    CountedTable(
        "deployed_versions",
        ("id", "auto_created", "undeployed_at"),
        counted=(
            Counted("deployedVersions.count"),
            Counted("deployedVersions.userCreatedCount", "NOT {a}.auto_created"),
            Counted("deployedVersions.currentlyDeployedCount", "{a}.undeployed_at IS NULL"),
        ),
        updates=True,
    ),
    CountedTable(
        "released_versions",
        ("id", "support_ended_at"),
        counted=(
            Counted("releasedVersions.count"),
            Counted("releasedVersions.currentlySupportedCount", "{a}.support_ended_at IS NULL"),
        ),
        updates=True,
    ),
)


def _emit(named_delta: str) -> str:
    """Append the ``n``/``d`` rows of ``named_delta`` whose delta is not zero."""
    return f"INSERT INTO {DELTAS} (name, delta) SELECT n, d FROM ({named_delta}) AS x WHERE d <> 0"


def _at_least_one(value: str) -> str:
    return f"(CASE WHEN {value} > 1 THEN {value} ELSE 1 END)"


def _same_keys(keys: tuple[str, ...], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{key} = {right}.{key}" for key in keys)


def _group_sizes(table: str, keys: tuple[str, ...], changed: str) -> str:
    """Each group of ``keys`` among the changed rows: its changed rows ``k``, its rows now."""
    listed = ", ".join(f"c.{key}" for key in keys)
    now = f"(SELECT COUNT(*) FROM {table} AS t WHERE {_same_keys(keys, 't', 'g')})"
    return (
        f"SELECT g.k AS k, {now} AS now FROM "
        f"(SELECT {listed}, COUNT(*) AS k FROM {changed} AS c GROUP BY {listed}) AS g"
    )


def _statements(spec: CountedTable, changed: str, inserted: bool) -> Iterator[str]:
    """What inserting (or deleting) the ``changed`` rows adds to each figure of ``spec``. The
    table holds the changed rows when these run: after an insert, before a delete."""
    sign = "" if inserted else "-"
    for counted in spec.counted:
        where = counted.where.format(a="c")
        yield _emit(
            f"SELECT '{counted.name}' AS n, {sign}COUNT(*) AS d FROM {changed} AS c WHERE {where}"
        )
    for distinct in spec.distinct:
        listed = ", ".join(f"c.{key}" for key in distinct.keys)
        others = f" AND t.id NOT IN (SELECT c.id FROM {changed} AS c)"
        yield _emit(
            f"SELECT '{distinct.name}' AS n, {sign}COUNT(*) AS d FROM "
            f"(SELECT DISTINCT {listed} FROM {changed} AS c "
            f"WHERE {distinct.where.format(a='c')}) AS g "
            f"WHERE NOT EXISTS (SELECT 1 FROM {spec.table} AS t WHERE "
            f"{_same_keys(distinct.keys, 't', 'g')} AND {distinct.where.format(a='t')}{others})"
        )
    for spread in spec.spreads:
        less = "s.now - s.k"
        before, after = (less, "s.now") if inserted else ("s.now", less)
        groups = _group_sizes(spec.table, spread.keys, changed)
        yield _spread_moves(
            spread.prefix, f"(SELECT {before} AS before, {after} AS after FROM ({groups}) AS s)"
        )
    if spec.matrix == "publications":
        yield _emit(f"SELECT '{MATRIX}' AS n, {_matrix_change(changed, inserted)} AS d")
    if spec.matrix == "results":
        yield from _results_statements(changed, inserted)


def _spread_moves(prefix: str, sizes: str) -> str:
    """Each group of ``sizes`` leaves the bucket of its ``before`` size for its ``after`` one."""
    moves = (
        f"SELECT h.before AS size, -1 AS d FROM {sizes} AS h WHERE h.before > 0 "
        f"UNION ALL SELECT h.after AS size, 1 AS d FROM {sizes} AS h WHERE h.after > 0"
    )
    return _emit(
        f"SELECT '{prefix}' || CAST(m.size AS VARCHAR(20)) AS n, SUM(m.d) AS d "
        f"FROM ({moves}) AS m GROUP BY m.size"
    )


def _stored_results(pact_version: str) -> str:
    return (
        f"COALESCE((SELECT s.results FROM {RESULTS} AS s "
        f"WHERE s.pact_version_id = {pact_version}), 0)"
    )


def _matrix_change(changed: str, inserted: bool) -> str:
    """The matrix has a row per publication and result of its content, or one per publication
    without results: the sum over pact versions of ``publications(pv) * max(1, results(pv))``.
    This is a publications' change (results read from :data:`RESULTS`)."""
    per_group = f"g.k * {_at_least_one(_stored_results('g.pact_version_id'))}"
    sign = "" if inserted else "-"
    return (
        f"{sign}COALESCE((SELECT SUM({per_group}) FROM (SELECT c.pact_version_id, "
        f"COUNT(*) AS k FROM {changed} AS c GROUP BY c.pact_version_id) AS g), 0)"
    )


def _results_statements(changed: str, inserted: bool) -> Iterator[str]:
    """Results per pact version: the distribution's move and the matrix's change, from the
    sizes kept in :data:`RESULTS` (counting a hot pact version's results for every deleted
    result would make a cleanup quadratic), then the sizes themselves."""
    groups = (
        f"(SELECT c.pact_version_id, COUNT(*) AS k FROM {changed} AS c GROUP BY c.pact_version_id)"
    )
    stored = _stored_results("g.pact_version_id")
    after = f"{stored} + g.k" if inserted else f"{stored} - g.k"
    sizes = f"(SELECT g.pact_version_id, {stored} AS before, {after} AS after FROM {groups} AS g)"
    yield _spread_moves(RESULTS_PREFIX, sizes)
    publications = (
        "(SELECT COUNT(*) FROM pact_publications AS p WHERE p.pact_version_id = h.pact_version_id)"
    )
    change = f"{publications} * ({_at_least_one('h.after')} - {_at_least_one('h.before')})"
    yield _emit(
        f"SELECT '{MATRIX}' AS n, COALESCE((SELECT SUM({change}) FROM {sizes} AS h), 0) AS d"
    )
    if inserted:
        yield (
            f"INSERT INTO {RESULTS} (pact_version_id, results) SELECT g.pact_version_id, g.k "
            f"FROM {groups} AS g WHERE 1 = 1 ON CONFLICT (pact_version_id) DO UPDATE SET "
            f"results = {RESULTS}.results + excluded.results"
        )
        return
    yield (
        f"UPDATE {RESULTS} SET results = results - (SELECT COUNT(*) FROM {changed} AS c "
        f"WHERE c.pact_version_id = {RESULTS}.pact_version_id) "
        f"WHERE pact_version_id IN (SELECT c.pact_version_id FROM {changed} AS c)"
    )
    yield (
        f"DELETE FROM {RESULTS} WHERE results <= 0 "
        f"AND pact_version_id IN (SELECT c.pact_version_id FROM {changed} AS c)"
    )


def _update_statements(spec: CountedTable, new: str, old: str) -> Iterator[str]:
    for counted in spec.counted:
        where = counted.where.format(a="c")
        yield _emit(
            f"SELECT '{counted.name}' AS n, (SELECT COUNT(*) FROM {new} AS c WHERE {where}) - "
            f"(SELECT COUNT(*) FROM {old} AS c WHERE {where}) AS d"
        )


def _sqlite_row(spec: CountedTable, row: str) -> str:
    return "(SELECT " + ", ".join(f"{row}.{column} AS {column}" for column in spec.columns) + ")"


def trigger_ddl(dialect: str) -> Iterator[str]:
    """The statements creating every counting trigger on ``dialect`` (sqlite or postgresql).

    Deletes count *before* each row goes (row by row on both databases): a cascade deletes
    from several tables within one statement, and PostgreSQL would run statement-level
    triggers only after all of them, each then seeing the other tables already emptied.
    Inserts and updates count after the statement (no insert cascades), on PostgreSQL over its
    transition tables, and never for an ``ON CONFLICT DO NOTHING`` that inserted nothing."""
    for spec in TABLES:
        old_row = _sqlite_row(spec, "OLD")
        if dialect == "sqlite":
            new, old = _sqlite_row(spec, "NEW"), old_row
        else:
            new, old = "metric_new_rows", "metric_old_rows"
        events = [
            ("INSERT", list(_statements(spec, new, inserted=True))),
            ("DELETE", list(_statements(spec, old_row, inserted=False))),
        ]
        if spec.updates:
            events.append(("UPDATE", list(_update_statements(spec, new, old))))
        for event, statements in events:
            name = f"metrics_{spec.table}_{event.lower()}"
            body = ";\n".join(statements) + ";"
            timing = "BEFORE" if event == "DELETE" else "AFTER"
            if dialect == "sqlite":
                yield (
                    f"CREATE TRIGGER {name} {timing} {event} ON {spec.table} FOR EACH ROW "
                    f"BEGIN\n{body}\nEND"
                )
                continue
            yield (
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\n"
                f"RETURN {'OLD' if event == 'DELETE' else 'NULL'};\nEND\n$$"
            )
            if event == "DELETE":
                yield (
                    f"CREATE TRIGGER {name} BEFORE DELETE ON {spec.table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {name}()"
                )
                continue
            transition = {
                "INSERT": "NEW TABLE AS metric_new_rows",
                "UPDATE": "NEW TABLE AS metric_new_rows OLD TABLE AS metric_old_rows",
            }[event]
            yield (
                f"CREATE TRIGGER {name} AFTER {event} ON {spec.table} REFERENCING {transition} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


def drop_ddl(dialect: str) -> Iterator[str]:
    """The statements dropping what :func:`trigger_ddl` creates."""
    for spec in TABLES:
        for event in ("insert", "delete", *(("update",) if spec.updates else ())):
            name = f"metrics_{spec.table}_{event}"
            if dialect == "sqlite":
                yield f"DROP TRIGGER IF EXISTS {name}"
            else:
                yield f"DROP TRIGGER IF EXISTS {name} ON {spec.table}"
                yield f"DROP FUNCTION IF EXISTS {name}()"


def initial_counts() -> Iterator[tuple[str, str]]:
    """``(name or prefix, statement)``: each figure counted from the tables as they are (the
    migration's one full pass). A statement for a prefix yields ``(size, groups)`` rows; the
    one for :data:`RESULTS` its rows."""
    for spec in TABLES:
        for counted in spec.counted:
            yield (
                counted.name,
                f"SELECT COUNT(*) FROM {spec.table} AS c WHERE {counted.where.format(a='c')}",
            )
        for distinct in spec.distinct:
            listed = ", ".join(f"c.{key}" for key in distinct.keys)
            yield (
                distinct.name,
                (
                    f"SELECT COUNT(*) FROM (SELECT DISTINCT {listed} FROM {spec.table} AS c "
                    f"WHERE {distinct.where.format(a='c')}) AS x"
                ),
            )
        for spread in spec.spreads:
            listed = ", ".join(spread.keys)
            yield (
                spread.prefix,
                (
                    f"SELECT x.size, COUNT(*) FROM (SELECT COUNT(*) AS size FROM {spec.table} "
                    f"GROUP BY {listed}) AS x GROUP BY x.size"
                ),
            )
    yield (
        RESULTS_PREFIX,
        (
            "SELECT x.size, COUNT(*) FROM (SELECT COUNT(*) AS size FROM verifications "
            "GROUP BY pact_version_id) AS x GROUP BY x.size"
        ),
    )
    yield RESULTS, "SELECT pact_version_id, COUNT(*) FROM verifications GROUP BY pact_version_id"
    yield (
        MATRIX,
        (
            f"SELECT COALESCE(SUM(p.k * {_at_least_one('COALESCE(v.k, 0)')}), 0) FROM "
            "(SELECT pact_version_id, COUNT(*) AS k FROM pact_publications "
            "GROUP BY pact_version_id) AS p "
            "LEFT JOIN (SELECT pact_version_id, COUNT(*) AS k FROM verifications "
            "GROUP BY pact_version_id) AS v ON v.pact_version_id = p.pact_version_id"
        ),
    )
