"""``python -m benchmarks.broker_scale``: see the package's docstring."""

import argparse
import os
import platform
from pathlib import Path

from accord.testing import start_postgres
from benchmarks.broker_scale import __doc__ as description
from benchmarks.broker_scale.pg_cluster import ensure_cluster
from benchmarks.broker_scale.report import print_run, print_verdict
from benchmarks.broker_scale.run import Options, Outcome, run


def main() -> None:
    parser = argparse.ArgumentParser(description=(description or "").split("\n\n")[0])
    parser.add_argument("--scales", default="0.1,1")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=60, help="measured rounds per run")
    parser.add_argument(
        "--plans",
        action="store_true",
        help="after measuring: each selected question in process, its statements timed and "
        "the slowest EXPLAINed, with a cProfile summary (use with --only)",
    )
    parser.add_argument(
        "--only", default="", help="comma-separated parts of question names (heartbeat always runs)"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="directory to keep (and reuse) seeded databases in"
    )
    parser.add_argument(
        "--postgres-url", default=None, help="an existing server (admin URL) instead of a new one"
    )
    parser.add_argument(
        "--postgres-data",
        type=Path,
        default=None,
        help="a cluster directory: created, started or reused, and left running (with --keep)",
    )
    args = parser.parse_args()
    options = Options(
        args.requests,
        args.plans,
        frozenset(word for word in args.only.split(",") if word),
        args.keep,
    )
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    scales = [float(s) for s in args.scales.split(",")]
    databases = args.databases.split(",")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus")
    wants_postgres = "postgres" in databases
    if wants_postgres and args.postgres_data is not None and not args.postgres_url:
        args.postgres_url = ensure_cluster(args.postgres_data)
        print(f"postgres: {args.postgres_url} (left running; data in {args.postgres_data})")
    server = start_postgres() if wants_postgres and not args.postgres_url else None
    report: dict[str, Outcome] = {}
    try:
        for database in databases:
            for scale in scales:
                pg = server.url if server is not None else args.postgres_url
                outcome = run(database, scale, options, pg)
                report[f"{database} x{scale}"] = outcome
                print_run(database, scale, outcome)
    finally:
        if server is not None:
            server.stop()
    print_verdict(report, databases, scales)


if __name__ == "__main__":
    main()
