"""The broker's documented input limits, the same on SQLite and PostgreSQL (docs/broker.md).

SQLite would store a name of any length and a page number of any size; PostgreSQL refuses a
name longer than its column and an integer beyond 64 bits. The broker checks these limits
itself, before the database sees the value, so both answer the same 400 that names the field.
"""

NAME_MAX_LENGTH = 255
"""The longest name, version number, tag, branch, label or display name, in characters."""

COUNT_MAX = 2**31 - 1
"""The largest page number, page size, ``limit`` or result number a request may send: large
enough for any real history, small enough that ``page * size`` still fits in 64 bits."""
