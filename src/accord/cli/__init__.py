"""accord's command line."""


def main() -> None:
    """Entry point of the ``accord`` command (filled in by the CLI issue)."""
    raise SystemExit("accord: the command line is not built yet")
