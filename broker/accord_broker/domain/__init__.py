"""The broker's behaviour as plain functions over a SQLAlchemy ``Session`` (no HTTP here)."""
