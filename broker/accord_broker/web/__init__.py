"""What the two web adapters (``api/`` HAL and ``ui/`` HTML) share: the request's context, links
and raw-path routing. Neither adapter imports the other; both import this and the domain.

Importing this package registers the ``seg`` path convertor both use (see ``raw_path``).
"""

from accord_broker.web import raw_path as _raw_path

__all__: list[str] = []
del _raw_path
