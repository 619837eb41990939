"""A list of ids bound as one value: ``column IN (…)`` without a parameter per id.

A page that labels its versions binds their ids, often a hundred, two or three times over (the
numbers, the branches and the tags of the same versions). As an expanded ``IN`` list each id is
a parameter: SQLAlchemy rewrites the statement's text and processes every value on each
execution, SQLite prepares the new text, and PostgreSQL, whose statement differs with every
list length, plans it again instead of reusing its prepared plan (issue #20: the environment
page's labels took 2.3 ms on PostgreSQL, 1.3 ms bound as one array). Here the list is one
parameter and the statement's text never changes:

* PostgreSQL: ``column = ANY(:ids::BIGINT[])``, which is what PostgreSQL makes of an ``IN``
  list itself, so the plan is the same;
* SQLite: ``column IN (SELECT value FROM json_each(:ids))``, the list sent as JSON text and read
  by SQLite's ``json_each``; the ids are looked up through the same index as before.

The rows are the same as with an ``IN`` list: the statements that use it order their rows
(or their callers do not depend on the order among equal keys).
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Text, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

__all__ = ["among", "id_list"]


class _IdArray(TypeDecorator[Iterable[int]]):
    """Ids bound as one value: an array of ``BIGINT`` on PostgreSQL, JSON text elsewhere."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(BigInteger()))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Iterable[int] | None, dialect: Dialect) -> Any:
        ids = [int(i) for i in value or ()]
        if dialect.name == "postgresql":
            return ids
        return f"[{','.join(map(str, ids))}]"  # a JSON array of integers, as json.dumps writes it


def id_list(name: str) -> BindParameter[Iterable[int]]:
    """A parameter called ``name`` holding a list of ids, for :func:`among`."""
    return bindparam(name, type_=_IdArray())


class among(FunctionElement[Any]):  # noqa: N801 - a SQL condition, named like a function
    """``among(column, ids)``: whether ``column`` is one of the ``ids`` (an :func:`id_list`).

    Untyped on purpose: a boolean-typed function gets ``= 1`` appended in a ``WHERE`` on
    SQLite (which has no boolean type), and SQLite then uses no index for it."""

    type = NullType()
    inherit_cache = True

    def __init__(
        self,
        column: ColumnElement[Any] | QueryableAttribute[Any],
        ids: BindParameter[Iterable[int]],
    ) -> None:
        super().__init__(column, ids)


def _parts(element: among, compiler: SQLCompiler, **kw: Any) -> tuple[str, str]:
    column, ids = element.clauses.clauses
    return compiler.process(column, **kw), compiler.process(ids, **kw)


@compiles(among)
def _any(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = _parts(element, compiler, **kw)
    return f"{column} = ANY({ids})"


@compiles(among, "sqlite")
def _json_each(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = _parts(element, compiler, **kw)
    return f"{column} IN (SELECT value FROM json_each({ids}))"
