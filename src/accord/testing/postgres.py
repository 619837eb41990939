"""A throw-away PostgreSQL server for tests, from the server binaries on the machine.

PostgreSQL refuses to run as root, so when we are root the server runs as the ``postgres``
user (``runuser``). The data directory lives in a temporary directory and is removed on stop.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from accord.testing.servers import free_port


@dataclass
class PostgresServer:
    """A running server; ``url`` is an SQLAlchemy URL to its ``postgres`` database."""

    port: int
    data_dir: str
    bin_dir: str
    _as_user: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            [
                *self._as_user,
                f"{self.bin_dir}/pg_ctl",
                "-D",
                f"{self.data_dir}/data",
                "-m",
                "immediate",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.data_dir, ignore_errors=True)


def find_postgres_bin() -> str | None:
    """The newest ``/usr/lib/postgresql/*/bin`` that has ``initdb``, if any."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(candidates[-1]) if candidates else None


def start_postgres() -> PostgresServer:
    """Initialise and start a fresh server on a free port; raise ``RuntimeError`` if impossible."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    data_dir = tempfile.mkdtemp(prefix="accord-pg-")
    as_user: tuple[str, ...] = ()
    if os.geteuid() == 0:
        shutil.chown(data_dir, user="postgres")
        as_user = ("runuser", "-u", "postgres", "--")
    port = free_port()
    subprocess.run(
        [
            *as_user,
            f"{bin_dir}/initdb",
            "-D",
            f"{data_dir}/data",
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    )
    result = subprocess.run(
        [
            *as_user,
            f"{bin_dir}/pg_ctl",
            "-D",
            f"{data_dir}/data",
            "-l",
            f"{data_dir}/log",
            "-w",
            "-o",
            options,
            "start",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(data_dir, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {result.stdout}{result.stderr}")
    return PostgresServer(port=port, data_dir=data_dir, bin_dir=bin_dir, _as_user=as_user)
