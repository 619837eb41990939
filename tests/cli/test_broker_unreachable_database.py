"""Issue #21: a database that cannot be reached is one clear line and exit 2, never a traceback."""

import subprocess
import sys
from pathlib import Path

from accord.testing import free_port

ACCORD = Path(sys.executable).parent / "accord"


def test_migrate_against_a_postgresql_nobody_listens_on_says_so_without_the_password() -> None:
    url = f"postgresql+psycopg://broker:s3cret@127.0.0.1:{free_port()}/broker"

    done = subprocess.run(
        [str(ACCORD), "broker", "migrate", "--database-url", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2, done.stderr
    assert "cannot reach the database" in done.stderr
    assert "Traceback" not in done.stderr
    assert "s3cret" not in done.stderr + done.stdout
    assert "broker:***@127.0.0.1" in done.stderr
