"""A PostgreSQL cluster that outlives the benchmark (``--postgres-data DIR``): seeded databases
kept with ``--keep`` are only worth keeping on a server that keeps running, so the cluster is
created in ``DIR`` on first use, started if it is down, reused (its port read back from
``postmaster.pid``) if it is up, and never stopped by the benchmark. Stop it by hand with
``pg_ctl -D DIR/data stop`` (as ``postgres`` when root).

Settings suit a throw-away benchmark server: ``fsync=off`` (seeding writes gigabytes), a
bigger ``shared_buffers``/``work_mem`` than the defaults so the full data set's hot indexes stay
in memory, as a production server's would."""

import os
import shutil
import subprocess
from pathlib import Path

from accord.testing import free_port
from accord.testing.postgres import find_postgres_bin

SERVER_SETTINGS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=200 -c shared_buffers=1GB "
    "-c work_mem=16MB -c maintenance_work_mem=512MB -c max_wal_size=8GB"
)


def _as_postgres() -> tuple[str, ...]:
    """PostgreSQL refuses to run as root: run its tools as ``postgres`` then."""
    return ("runuser", "-u", "postgres", "--") if os.geteuid() == 0 else ()


def _running_port(data: Path) -> int | None:
    """The port of the server running on ``data``, from its ``postmaster.pid``, if it lives."""
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return None
    lines = pid_file.read_text().splitlines()
    try:
        os.kill(int(lines[0]), 0)
    except (ProcessLookupError, ValueError, IndexError):
        return None
    return int(lines[3])


def ensure_cluster(root: Path) -> str:
    """The admin URL of the cluster in ``root``: created, started or reused as needed."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    data = root / "data"
    as_user = _as_postgres()
    if not (data / "PG_VERSION").exists():
        root.mkdir(parents=True, exist_ok=True)
        if as_user:
            shutil.chown(root, user="postgres")
        initdb = [f"{bin_dir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust"]
        subprocess.run([*as_user, *initdb, "-E", "UTF8"], check=True, capture_output=True)
    port = _running_port(data)
    if port is None:
        port = free_port()
        options = f"-p {port} -k {root} {SERVER_SETTINGS}"
        start = [f"{bin_dir}/pg_ctl", "-D", str(data), "-l", str(root / "log"), "-w"]
        result = subprocess.run(
            [*as_user, *start, "-o", options, "start"], check=False, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"PostgreSQL in {data} did not start ({root / 'log'}): "
                f"{result.stdout}{result.stderr}"
            )
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
