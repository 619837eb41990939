"""Path and query values no database can search for: refused before any route runs.

PostgreSQL cannot hold (or even compare against) a string with a NUL character, so
``GET /pacticipants/a%00b`` failed inside the driver with a 500 while SQLite answered 404. A
name can never contain NUL (``domain.names``), so such a value is refused up front, on both
databases alike, with a 400 that names the path or query parameter it came in.
"""

from fastapi import Request

from accord_broker.errors import BrokerInputError

_NUL = "\x00"


async def refuse_nul_parameters(request: Request) -> None:
    """A FastAPI dependency of the whole app: 400 when a path or query value holds NUL.

    ``async`` though it awaits nothing: FastAPI runs a plain function dependency in its
    thread pool, a hand-off per request (every route, the heartbeat too) for a string scan."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and _NUL in value:
            raise _refused(name, "path")
    for name, value in request.query_params.multi_items():
        if _NUL in value or _NUL in name:
            raise _refused(name.replace(_NUL, "\\u0000"), "query")


def _refused(name: str, where: str) -> BrokerInputError:
    message = (
        "cannot contain the control character U+0000 (NUL): no name, tag or version holds it, "
        "so remove it from the URL"
    )
    return BrokerInputError(f"{where} parameter {name} {message}", errors={name: [message]})
