"""A throw-away broker for the story: ``accord broker serve`` on SQLite, on a free port.

The database and the log live in the demo's work directory (never the repository), so the
broker can be reopened afterwards with the same command to look around.
"""

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from accord.testing import free_port
from demo.shell import clean_environment


@dataclass(frozen=True)
class RunningBroker:
    url: str
    database_url: str
    log: Path
    argv: tuple[str, ...]


def _wait_until_it_answers(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the broker exited with {process.returncode}; see {log}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"the broker did not answer at {url} within 60s; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill if it lingers; always reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_broker(accord: Path, workdir: Path) -> Iterator[RunningBroker]:
    """Start the broker, wait until its index answers, and stop it when the block ends."""
    port = free_port()
    database_url = f"sqlite:///{workdir / 'broker.sqlite'}"
    argv = (str(accord), "broker", "serve", "--port", str(port), "--database-url", database_url)
    log = workdir / "broker.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            argv, stdout=log_file, stderr=subprocess.STDOUT, env=clean_environment({})
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_it_answers(url, process, log)
            yield RunningBroker(url, database_url, log, argv)
        finally:
            stop(process)
