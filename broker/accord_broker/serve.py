"""Run the broker with uvicorn (``accord broker serve`` and ``python -m accord_broker``)."""

import errno
import os
import shutil
import signal
import socket
import tempfile

import uvicorn
from sqlalchemy.engine import make_url

from accord.errors import BrokerConfigError
from accord_broker.db.migrate import migrate
from accord_broker.db.urls import check_database_url
from accord_broker.garbage import settle_garbage_collector
from accord_broker.observability.logs import configure_logging
from accord_broker.observability.metrics import MULTIPROCESS_DIR_VARIABLE
from accord_broker.settings import Settings


def serve(
    host: str = "127.0.0.1",
    port: int = 9292,
    database_url: str | None = None,
    *,
    access_log: bool = True,
    workers: int = 1,
) -> None:
    """Serve the broker until interrupted or terminated; settings come from ``ACCORD_BROKER_*``.

    The database URL is checked and the port bound before the app starts, so a typo or a busy
    port is one clear error (:class:`BrokerConfigError`) and never follows a "started" line.
    On SIGTERM the broker stops accepting, lets requests in flight finish (within
    ``shutdown_grace_seconds``), hands claimed webhook deliveries back to the queue and exits 0.
    With ``workers > 1`` the database is migrated once here, then that many worker processes
    share the listening socket (see :func:`_serve_workers`).
    """
    overrides: dict[str, object] = {"access_log": access_log}
    if database_url is not None:
        overrides["database_url"] = database_url
    settings = Settings(**overrides)  # type: ignore[arg-type]
    check_database_url(settings.database_url)
    configure_logging(settings.log_format, secrets=secrets_of(settings))
    listener = bind(host, port)
    try:
        if workers > 1:
            _serve_workers(settings, listener, workers)
            return
        from accord_broker.app import create_app

        app = create_app(settings)
        settle_garbage_collector()
        config = _uvicorn_config(app, settings, host, port)
        _exit_quietly_on_sigterm()
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        listener.close()


def _uvicorn_config(
    app: object, settings: Settings, host: str, port: int, **more: object
) -> uvicorn.Config:
    """uvicorn's configuration: our logging (not uvicorn's), our access line, the grace bound."""
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        host=host,
        port=port,
        log_config=None,
        access_log=False,  # the broker writes its own access line (request id, route template)
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace_seconds)),
        **more,  # type: ignore[arg-type]
    )


def _exit_quietly_on_sigterm() -> None:
    """Let uvicorn's graceful shutdown end the process with status 0.

    uvicorn shuts down on SIGTERM, then raises the signal again for the handler that was
    installed before it ran; with the default handler that kills the process (status 143)
    after a clean shutdown. A handler that does nothing makes the clean shutdown the exit.
    """
    signal.signal(signal.SIGTERM, lambda _signal, _frame: None)


def _serve_workers(settings: Settings, listener: socket.socket, workers: int) -> None:
    """Run ``workers`` processes on ``listener``: migrated once, counters shared, one leader.

    The workers are new interpreters (spawned) that read their settings from the environment,
    so what was given on the command line is put there first. Their Prometheus counters live
    in a private multiprocess directory, removed when the broker stops.
    """
    from uvicorn.supervisors import Multiprocess

    if settings.migrate_on_start:
        migrate(settings.database_url)
    metrics_dir = tempfile.mkdtemp(prefix="accord-broker-metrics-")
    os.environ.update(
        {
            "ACCORD_BROKER_DATABASE_URL": settings.database_url,
            "ACCORD_BROKER_MIGRATE_ON_START": "false",
            "ACCORD_BROKER_ACCESS_LOG": "true" if settings.access_log else "false",
            MULTIPROCESS_DIR_VARIABLE: metrics_dir,
        }
    )
    host, port = listener.getsockname()[:2]
    config = _uvicorn_config(
        "accord_broker.serve:worker_app", settings, host, port, factory=True, workers=workers
    )
    try:
        Multiprocess(config, sockets=[listener]).run()
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def worker_app() -> object:
    """The app of one worker process (``--workers N``): settings from the environment.

    Only the workers import the app: the parent that supervises them only migrates, so it
    starts (and the workers with it) without importing FastAPI and the domain.
    """
    from accord_broker.app import create_app

    settings = Settings()
    configure_logging(settings.log_format, secrets=secrets_of(settings))
    app = create_app(settings)
    settle_garbage_collector()
    return app


def secrets_of(settings: Settings) -> list[str]:
    """Every secret value the settings hold, for the log redactor."""
    found = [
        secret.get_secret_value()
        for secret in (
            settings.basic_auth_password,
            settings.basic_auth_read_only_password,
            *settings.webhook_secrets.values(),
        )
        if secret is not None
    ]
    password = make_url(settings.database_url).password
    if password:
        found.append(str(password))
    return found


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or :class:`BrokerConfigError` saying why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return _tcp_listener(family, host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BrokerConfigError(
                f"port {port} on {host} is already in use: stop the server using it, or pass "
                "another --port"
            ) from None
        raise BrokerConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _tcp_listener(family: socket.AddressFamily, host: str, port: int) -> socket.socket:
    """A listening TCP socket whose connections send each write at once (``TCP_NODELAY``).

    Made with the protocol named (``IPPROTO_TCP``), not as ``socket.create_server`` makes it
    (protocol 0): asyncio turns Nagle's algorithm off only on sockets whose protocol is
    ``IPPROTO_TCP``, so on a protocol-0 listener every answer on a reused keep-alive connection
    waited for the client's delayed ACK, 40 ms on Linux (every request of a CI pipeline's
    ``requests.Session`` or of the official CLI after its first). The listener carries
    ``TCP_NODELAY`` too, which Linux passes on to the connections it accepts.
    """
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if os.name == "posix":
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:  # IPv6 only, as socket.create_server makes it
            listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.bind((host, port))
        listener.listen(socket.SOMAXCONN)
    except OSError:
        listener.close()
        raise
    return listener
