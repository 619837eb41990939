"""Notifications: turns ``transfer-completed`` events into messages for the customer."""
