"""``python -m providers.accounts --port 8001 --database-url sqlite:///accounts.sqlite``."""

import argparse

import uvicorn
from sqlalchemy.orm import sessionmaker

from providers.accounts.app import create_app
from providers.accounts.states import set_up_state


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m providers.accounts", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--database-url", default="sqlite:///accounts.sqlite")
    parser.add_argument(
        "--seed",
        action="store_true",
        help="add customer alice (password s3cret) with accounts 1 (100.00 EUR) and 2 (empty)",
    )
    arguments = parser.parse_args()
    app = create_app(arguments.database_url)
    if arguments.seed:
        seed(app.state.sessions)
    uvicorn.run(app, host=arguments.host, port=arguments.port)


def seed(sessions: sessionmaker) -> None:  # type: ignore[type-arg]
    """Demo data, through the same provider states the contract tests use."""
    set_up_state(
        sessions, "a customer with credentials", {"username": "alice", "password": "s3cret"}
    )
    for account_id, balance in ((1, 10_000), (2, 0)):
        params = {"accountId": account_id, "balance": balance, "token": "tok-alice"}
        set_up_state(sessions, "an account with a balance", params)


if __name__ == "__main__":
    main()
