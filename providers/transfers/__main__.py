"""``python -m providers.transfers --port 8002 --accounts-url http://127.0.0.1:8001``."""

import argparse

import uvicorn

from providers.transfers.accounts_client import HttpAccounts
from providers.transfers.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m providers.transfers", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--database-url", default="sqlite:///transfers.sqlite")
    parser.add_argument("--accounts-url", default="http://127.0.0.1:8001")
    arguments = parser.parse_args()
    app = create_app(arguments.database_url, HttpAccounts(arguments.accounts_url))
    uvicorn.run(app, host=arguments.host, port=arguments.port)


if __name__ == "__main__":
    main()
