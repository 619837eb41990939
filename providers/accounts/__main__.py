"""``python -m providers.accounts --port 8001 --database-url sqlite:///accounts.sqlite``."""

import argparse

import uvicorn

from providers.accounts.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m providers.accounts", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--database-url", default="sqlite:///accounts.sqlite")
    arguments = parser.parse_args()
    uvicorn.run(create_app(arguments.database_url), host=arguments.host, port=arguments.port)


if __name__ == "__main__":
    main()
