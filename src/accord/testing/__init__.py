"""Helpers for tests that start real servers: yours, and accord's own suite.

Servers start on a free port (port 0) and are waited for until they answer, never on a fixed
port and never after a sleep.
"""

from accord.testing.postgres import PostgresServer, start_postgres
from accord.testing.servers import ServerHandle, free_port, serve_app, start_process, wait_for_port
from accord.testing.stub import stub_server

__all__ = [
    "PostgresServer",
    "ServerHandle",
    "free_port",
    "serve_app",
    "start_postgres",
    "start_process",
    "stub_server",
    "wait_for_port",
]
