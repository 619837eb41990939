"""The verification results body (what a verifier posts to ``pb:publish-verification-results``).

``testResults`` is kept as the JSON the verifier sent (each client shapes it its own way); the
reader of the body has already refused a value JSON cannot give back (NaN, ``1e400``), naming its
path (``testResults[0].duration``).
"""

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, JsonValue

from accord_broker.domain.bodies import BrokerBody, HttpUrl, name_value, problem


def _version_number(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        raise problem("is missing or blank")
    return name_value(value)


class VerificationBody(BrokerBody):
    """A verification result: whether it passed, and the provider version that ran it."""

    refusal: ClassVar[str] = "invalid verification result"
    missing: ClassVar[dict[str, str]] = {
        "success": "must be true or false",
        "providerApplicationVersion": "is missing or blank",
    }

    success: bool
    provider_application_version: Annotated[str, BeforeValidator(_version_number)]
    build_url: HttpUrl = None
    test_results: JsonValue = None
    verified_by: dict[str, Any] | None = None
