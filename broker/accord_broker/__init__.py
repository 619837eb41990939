"""The accord broker: a Pact Broker-compatible service (FastAPI + SQLAlchemy)."""
