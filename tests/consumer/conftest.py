"""The consumer plugin is tested by running real inner pytest sessions (``pytester``).

``pytest_plugins = ["pytester"]`` is refused in a conftest that is not top-level when the whole
suite runs from the project root, so the plugin is registered here on configure instead.
"""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")
