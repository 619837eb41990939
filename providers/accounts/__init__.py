"""Accounts: customers, their accounts and balances, and login tokens (FastAPI + SQLAlchemy)."""
