"""Transfers: moves money between accounts (through the accounts API) and emits events."""
