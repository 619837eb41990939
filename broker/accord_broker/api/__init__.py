"""HTTP: FastAPI routers that translate Pact Broker API requests to domain calls and render HAL.

Importing this package registers the ``seg`` path convertor the routers use (see ``raw_path``).
"""

from accord_broker.api import raw_path as _raw_path

__all__: list[str] = []
del _raw_path
