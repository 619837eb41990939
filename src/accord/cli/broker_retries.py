"""The broker retry default, in a module that imports nothing.

``accord verify`` shows it on ``--retries`` but talks to no broker when it verifies files:
importing it from :mod:`accord.broker_client.settings` would load the whole broker client
(its package imports the HTTP client) into every ``accord verify -f`` run. The value is
:data:`accord.broker_client.settings.DEFAULT_RETRIES`; ``tests/cli/test_startup.py`` keeps the
two equal.
"""

#: The official CLI's default: 8 retries of 5xx answers and timeouts.
DEFAULT_RETRIES = 8
