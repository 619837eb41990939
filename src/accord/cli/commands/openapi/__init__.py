"""``accord openapi check|diff|publish``: bi-directional contract testing.

``check`` and ``diff`` work offline, before a push; ``publish`` sends the provider's document
(a file, or a FastAPI app's ``app.openapi()``) with its self-verification to a broker. One
module per command; importing them imports click only: the OpenAPI stack (PyYAML, jsonschema,
openapi-spec-validator) is imported when a command runs, so ``accord --help`` and the other
commands start as fast as before.
"""

import click

from accord.cli.commands.openapi.check import check_command
from accord.cli.commands.openapi.diff import diff_command
from accord.cli.commands.openapi.publish import publish_command


@click.group(
    "openapi",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""
\b
Examples:
  accord openapi check openapi.yaml pacts/
  accord openapi diff openapi-main.yaml openapi.yaml --pacts pacts/
  accord openapi publish --app accounts.app:app --provider Accounts -a $GIT_SHA \\
      --verification-success -b http://broker:9292
""",
)
def openapi_group() -> None:
    """Check consumer pacts against a provider's OpenAPI document, or publish it.

    This is bi-directional contract testing: the provider describes its API with an OpenAPI
    3.0 or 3.1 document, and each consumer pact is compared with it statically, offline
    (check, diff) or by a broker after `accord openapi publish`.
    """


openapi_group.add_command(check_command)
openapi_group.add_command(diff_command)
openapi_group.add_command(publish_command)

COMMANDS = [openapi_group]
