"""``/metrics`` counts kept on write: ``metric_deltas``, results per pact version, triggers.

``GET /metrics`` counted whole tables (seconds at a large history); the triggers of
``accord_broker.db.metric_counts`` now record every change of a counted figure, and this
migration counts each figure once from the tables as they are.

Revision ID: 0012_metric_counts
Revises: 0011_pending_comparisons
Create Date: 2026-12-07 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from accord_broker.db.metric_counts import drop_ddl, initial_counts, trigger_ddl
from accord_broker.db.metric_models import DELTAS, RESULTS
from alembic import op

revision: str = "0012_metric_counts"
down_revision: str | None = "0011_pending_comparisons"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SEEKS = (
    ("ix_pact_publications_created_at", "pact_publications", "created_at"),
    ("ix_verifications_created_at", "verifications", "created_at"),
    ("ix_tags_name", "tags", "name"),
)


def upgrade() -> None:
    op.create_table(
        DELTAS,
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        RESULTS,
        sa.Column("pact_version_id", ID, autoincrement=False, nullable=False),
        sa.Column("results", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("pact_version_id"),
    )
    for index, table, column in SEEKS:
        op.create_index(index, table, [column])
    bind = op.get_bind()
    for statement in trigger_ddl(bind.dialect.name):
        bind.exec_driver_sql(statement)
    rows: list[dict[str, object]] = []
    for name, query in initial_counts():
        if name == RESULTS:
            bind.execute(sa.text(f"INSERT INTO {RESULTS} (pact_version_id, results) {query}"))
        elif name.endswith(":"):
            rows += [
                {"name": f"{name}{size}", "delta": int(groups)}
                for size, groups in bind.execute(sa.text(query))
            ]
        else:
            rows.append({"name": name, "delta": int(bind.execute(sa.text(query)).scalar_one())})
    deltas = sa.table(DELTAS, sa.column("name"), sa.column("delta"))
    nonzero = [row for row in rows if row["delta"]]
    if nonzero:
        op.bulk_insert(deltas, nonzero)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in drop_ddl(bind.dialect.name):
        bind.exec_driver_sql(statement)
    for index, table, _column in SEEKS:
        op.drop_index(index, table_name=table)
    op.drop_table(RESULTS)
    op.drop_table(DELTAS)
