import psycopg
import pytest


@pytest.mark.postgres
def test_a_real_postgres_answers(postgres_admin_url: str) -> None:
    dsn = postgres_admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        version = conn.execute("show server_version").fetchone()
    assert version is not None and version[0].split(".")[0] >= "15"
