"""``/diagnostic/status/dependencies``: readiness, as the Pact Broker has it.

The heartbeat (``api/index.py``) says the process answers (liveness: no database). This says
whether the broker can do its work: the database answers ``SELECT 1`` within
``readiness_timeout_seconds``. A load balancer takes a broker whose database is down out of
rotation on the 503 and puts it back on the first 200, without a restart: the pool replaces
dead connections by itself.
"""

import logging

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request

from accord_broker.api.hal import HalResponse, link
from accord_broker.domain.operations.health import ping_database
from accord_broker.web.context import broker_of, urls_for

router = APIRouter()
log = logging.getLogger("accord_broker.readiness")
DEPENDENCIES_PATH = "/diagnostic/status/dependencies"


@router.get(DEPENDENCIES_PATH)
async def dependencies(request: Request) -> HalResponse:
    broker = broker_of(request)
    timeout = broker.settings.readiness_timeout_seconds
    links = {"self": link(f"{urls_for(request).base}{DEPENDENCIES_PATH}")}
    problem: str | None = None
    with anyio.move_on_after(timeout) as scope:
        try:
            await anyio.to_thread.run_sync(ping_database, broker.uow, abandon_on_cancel=True)
        except Exception as exc:
            problem = f"the database did not answer: {type(exc).__name__}: {_first_line(exc)}"
    if scope.cancelled_caught:
        problem = f"the database did not answer within {timeout:g}s"
    if problem is not None:
        log.warning("not ready: %s", problem)
        body = {"ok": False, "database": {"ok": False, "error": problem}, "_links": links}
        return HalResponse(body, status_code=503)
    return HalResponse({"ok": True, "database": {"ok": True}, "_links": links})


def _first_line(exc: BaseException) -> str:
    """The driver's message without SQLAlchemy's appended statement and background link."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
