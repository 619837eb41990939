"""One module per family of commands; each exposes ``COMMANDS`` for the group to register."""
