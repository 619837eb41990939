"""HAL+JSON: the response class; links, URL shapes and timestamps come from ``web.links``."""

from fastapi.responses import JSONResponse

from accord_broker.web.links import Urls, link, segment, timestamp

__all__ = ["HAL_JSON", "HalResponse", "Urls", "link", "segment", "timestamp"]

HAL_JSON = "application/hal+json;charset=utf-8"


class HalResponse(JSONResponse):
    media_type = HAL_JSON
