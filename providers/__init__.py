"""The example bank's providers: ``accounts`` and ``transfers`` (FastAPI + SQLAlchemy)."""
