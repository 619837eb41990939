"""The bank's web backend-for-frontend: a ``requests`` client of accounts and transfers."""
