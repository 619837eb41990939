"""accord's command line: a drop-in for ``pact broker``, plus verify and the broker.

``accord --help`` lists the commands; each has ``--help`` with examples.
"""

from accord.cli.app import cli, main

__all__ = ["cli", "main"]
