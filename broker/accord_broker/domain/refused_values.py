"""The last line of defence for input: a value the database refused is the client's problem.

Every route validates its input before it reaches the database (lengths, NUL, integers beyond
64 bits, lone surrogates; see ``tests/broker/test_hostile_values.py``). Should a value slip
past that validation, the database or its driver refuses it when the statement runs, and
without this module the request would answer 500, which the official clients retry for a
minute as if the broker were broken. :func:`refused_value` recognises those refusals (and only
those: a statement the broker got wrong, a lost connection or a race is not one) and says what
was refused in words safe to show the client: the driver's first line, without SQL, without
parameters, and without a quoted value that might be a secret.
"""

import re
from types import TracebackType

from sqlalchemy.exc import DataError, IntegrityError

DATA_EXCEPTION_CLASS = "22"
"""SQLSTATE class 22, "data exception": out of range, too long, invalid text or number…"""
CHECK_VIOLATION = "23514"
_SQLITE_CHECK = "SQLITE_CONSTRAINT_CHECK"
_QUOTED_VALUE = re.compile(r'(:\s*)"[^"]*"')
"""``invalid input syntax for type integer: "…"``: the value itself is not repeated."""
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")
_MAX_DETAIL = 200
_BINDING_MODULES = ("sqlalchemy.engine", "sqlalchemy.dialects", "psycopg", "sqlite3")
"""Where a value is handed to the driver: an ``OverflowError`` or ``UnicodeEncodeError``
raised elsewhere is a bug in the broker, not a refused value."""


def refused_value(exc: BaseException) -> str | None:
    """What the database refused, in safe words, if ``exc`` is such a refusal; else ``None``."""
    if isinstance(exc, DataError):
        return _driver_detail(exc) or "a value is out of the range or format the database holds"
    if isinstance(exc, IntegrityError) and _is_check_violation(exc):
        return "a value breaks one of the database's checks: " + _driver_detail(exc)
    if isinstance(exc, OverflowError) and _raised_binding(exc.__traceback__):
        return "an integer is too large for the database (it holds 64-bit integers)"
    if isinstance(exc, UnicodeEncodeError) and _raised_binding(exc.__traceback__):
        refused = exc.object[exc.start : exc.end]
        where = f" (U+{ord(refused[0]):04X})" if isinstance(refused, str) and refused else ""
        return f"a text value holds a character that cannot be stored as UTF-8{where}"
    return None


def _is_check_violation(exc: IntegrityError) -> bool:
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == CHECK_VIOLATION:
        return True
    return str(getattr(orig, "sqlite_errorname", "")) == _SQLITE_CHECK


def _driver_detail(exc: DataError | IntegrityError) -> str:
    """The driver's first line (``str(exc.orig)`` never holds the SQL or its parameters),
    with any quoted value after a colon removed, printable ASCII, and bounded."""
    lines = str(exc.orig).strip().splitlines()
    if not lines:
        return ""
    first = _QUOTED_VALUE.sub(r"\1(value not repeated)", lines[0].strip())
    first = _UNPRINTABLE.sub("?", first)
    return first if len(first) <= _MAX_DETAIL else first[: _MAX_DETAIL - 1] + "…"


def _raised_binding(traceback: TracebackType | None) -> bool:
    """Whether the exception was raised while SQLAlchemy or the driver ran a statement."""
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        if module.startswith(_BINDING_MODULES):
            return True
        traceback = traceback.tb_next
    return False
