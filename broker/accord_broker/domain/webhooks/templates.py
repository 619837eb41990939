"""``${pactbroker.*}`` template variables and their replacement in URL, headers and body.

The variables are the Pact Broker's (``pact_and_verification_parameters.rb``). Values placed in
the URL are form-encoded (a space becomes ``+``), as the Pact Broker does; values in headers and
text bodies go in as they are; in a JSON body they are replaced inside each string, so the body
stays valid JSON whatever a value contains. Unknown ``${...}`` are left alone, and a variable
without a value renders as ``""``.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from accord_broker.domain.webhooks.definition import RequestTemplate

VARIABLES = (
    "pactUrl",
    "verificationResultUrl",
    "consumerName",
    "providerName",
    "consumerVersionNumber",
    "providerVersionNumber",
    "consumerVersionTags",
    "providerVersionTags",
    "consumerVersionBranch",
    "providerVersionBranch",
    "providerVersionDescriptions",
    "consumerLabels",
    "providerLabels",
    "githubVerificationStatus",
    "bitbucketVerificationStatus",
    "azureDevOpsVerificationStatus",
    "gitlabVerificationStatus",
    "buildUrl",
    "eventName",
    "currentlyDeployedProviderVersionNumber",
)
"""Every variable, without its ``pactbroker.`` prefix."""

_VARIABLE = re.compile(r"\$\{pactbroker\.([A-Za-z]+)\}")


@dataclass(frozen=True, slots=True)
class RenderedRequest:
    """A request ready to send: every variable replaced."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    username: str | None = None
    password: str | None = None


def render_text(
    template: str, values: Mapping[str, str], escape: Callable[[str], str] | None = None
) -> str:
    """``template`` with each known ``${pactbroker.name}`` replaced by ``values[name]``."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in VARIABLES:
            return match.group(0)
        value = values.get(name, "")
        return escape(value) if escape is not None else value

    return _VARIABLE.sub(replace, template)


def _render_json(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return render_text(value, values)
    if isinstance(value, list):
        return [_render_json(item, values) for item in value]
    if isinstance(value, dict):
        return {render_text(k, values): _render_json(v, values) for k, v in value.items()}
    return value


def render_body(request: RequestTemplate, values: Mapping[str, str]) -> str | None:
    if request.body is None:
        return None
    if request.body_is_json:
        return json.dumps(_render_json(json.loads(request.body), values))
    return render_text(request.body, values)


def render_request(request: RequestTemplate, values: Mapping[str, str]) -> RenderedRequest:
    """The request ``request`` describes, with ``values`` (name → text) filled in."""

    def optional(text: str | None) -> str | None:
        return None if text is None else render_text(text, values)

    return RenderedRequest(
        method=request.method,
        url=render_text(request.url, values, escape=quote_plus),
        headers={name: render_text(value, values) for name, value in request.headers.items()},
        body=render_body(request, values),
        username=optional(request.username),
        password=optional(request.password),
    )


def uses_variables(text: str | None) -> bool:
    return text is not None and _VARIABLE.search(text) is not None
