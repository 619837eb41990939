"""HTTP: FastAPI routers that translate Pact Broker API requests to domain calls and render HAL.

The ``seg`` path convertor the routers use is registered by ``accord_broker.web`` (``raw_path``),
which every router imports for its request context.
"""

__all__: list[str] = []
