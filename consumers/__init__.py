"""The example bank's consumers: the ``web`` client and the ``notifications`` event handler."""
