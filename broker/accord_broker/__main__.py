"""``python -m accord_broker [--host H] [--port P] [--database-url URL] [--workers N] …``."""

import argparse

from accord_broker.serve import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="accord_broker", description="Run the accord broker.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9292)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--no-access-log", action="store_true", help="do not log a line per request"
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes on the port")
    args = parser.parse_args()
    serve(
        args.host,
        args.port,
        args.database_url,
        access_log=not args.no_access_log,
        workers=args.workers,
    )


if __name__ == "__main__":
    main()
