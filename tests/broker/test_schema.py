"""The schema: migrations match the models, run twice harmlessly, and index every foreign key."""

from accord_broker.db import migrate
from accord_broker.db.migrate import alembic_config
from accord_broker.db.models import Base
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text


def test_the_migrations_build_exactly_the_models_schema(database_url: str) -> None:
    migrate(database_url)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()

    assert differences == []


def test_migrating_twice_is_harmless(database_url: str) -> None:
    migrate(database_url)
    migrate(database_url)

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            heads = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    finally:
        engine.dispose()
    newest = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    assert heads == [newest]


def test_every_foreign_key_leads_some_index(database_url: str) -> None:
    migrate(database_url)
    engine = create_engine(database_url)
    try:
        inspector = inspect(engine)
        unindexed = []
        for table in inspector.get_table_names():
            leading = {tuple(i["column_names"][:1]) for i in inspector.get_indexes(table)}
            leading |= {
                tuple(u["column_names"][:1]) for u in inspector.get_unique_constraints(table)
            }
            leading.add(tuple(inspector.get_pk_constraint(table)["constrained_columns"][:1]))
            for fk in inspector.get_foreign_keys(table):
                if tuple(fk["constrained_columns"][:1]) not in leading:
                    unindexed.append(f"{table}.{fk['constrained_columns'][0]}")
    finally:
        engine.dispose()

    assert unindexed == []


def test_sqlite_databases_run_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    from pathlib import Path

    from accord_broker.db import Database

    url = f"sqlite:///{Path(str(tmp_path)) / 'nested' / 'b.sqlite'}"
    migrate(url)
    database = Database(url)
    try:
        with database.read_session() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        database.dispose()
