"""Navigate a Pact Broker's HAL API by relation name, the way the official clients do.

Only relation names are assumed, never paths, so the client works against any broker that
speaks the Pact Broker API. Absolute hrefs are rebased onto the configured broker URL (the
official Rust clients do the same), which keeps a broker behind a proxy with a wrong
``base_url`` usable. Template values are percent-encoded with ``/`` as ``%2F``, as every
official client does.

``requests`` is imported when a client is built, not with this module: the verifier imports
the client for its broker options, and a verification of local pact files never needs it.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from accord.broker_client.auth import BrokerAuth
from accord.errors import BrokerError, BrokerUnreachableError

if TYPE_CHECKING:
    import requests

JsonObject = dict[str, Any]

_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_TEMPLATE_VARIABLE = re.compile(r"\{(\w+)\}")
_USER_AGENT = "accord-broker-client"


def expand_href(href: str, values: Mapping[str, str]) -> str:
    """Fill ``{name}`` placeholders, percent-encoding each value (``/`` becomes ``%2F``)."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return quote(str(values[name]), safe="")

    return _TEMPLATE_VARIABLE.sub(substitute, href)


def _error_detail(response: requests.Response) -> str:
    """The broker's own explanation, from any of the error shapes brokers use."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return text[:500] if text else response.reason or "no error text"
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, Mapping):
            return "; ".join(f"{key}: {_join(value)}" for key, value in errors.items())
        if isinstance(errors, list):
            return "; ".join(
                str(item.get("detail", item)) if isinstance(item, Mapping) else str(item)
                for item in errors
            )
        if errors is not None:
            return str(errors)
        error = body.get("error")
        if isinstance(error, Mapping):
            return str(error.get("message", error))
        if error is not None:
            return str(error)
        if "detail" in body or "title" in body:
            return str(body.get("detail") or body.get("title"))
    return json.dumps(body)[:500]


def _unreachable_reason(exc: requests.RequestException) -> str:
    """A short cause for a request that got no answer, without urllib3's object reprs."""
    import requests

    text = str(exc)
    if (
        "Name or service not known" in text
        or "NameResolutionError" in text
        or ("nodename nor servname" in text or "Temporary failure in name resolution" in text)
    ):
        return "the broker's host name could not be resolved"
    if "Connection refused" in text or "ConnectionRefusedError" in text:
        return "connection refused"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS failure: {text[:300]}"
    return f"{type(exc).__name__}: {text[:300]}"


def _retry_to_stderr(line: str) -> None:
    """Default retry notice: a CI log shows why a broker call is taking its time."""
    sys.stderr.write(f"accord: {line}\n")
    sys.stderr.flush()


def _join(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


class BrokerClient:
    """One broker, one ``requests.Session`` (keep-alive, credentials on every request)."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: BrokerAuth | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 30.0,
        custom_headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[str], None] = _retry_to_stderr,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            from accord.errors import VerifierConfigError

            raise VerifierConfigError(
                f"broker URL {base_url!r} is not an http(s) URL; pass e.g. http://broker:9292"
            )
        self.base_url = base_url.rstrip("/")
        self.retries = max(0, retries)
        self.backoff = backoff
        self.timeout = timeout
        self._sleep = sleep
        self._on_retry = on_retry
        self._index: JsonObject | None = None
        import requests

        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["User-Agent"] = _USER_AGENT
        header = (auth or BrokerAuth()).header()
        if header:
            self.session.headers["Authorization"] = header
        self.session.headers.update(custom_headers or {})

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> BrokerClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- HTTP with retries ------------------------------------------------------------------

    def url_for(self, href: str) -> str:
        """An href from the broker, made absolute and rebased onto the configured broker URL."""
        if href.startswith(("http://", "https://")):
            base = urlsplit(self.base_url)
            parts = urlsplit(href)
            return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
        return urljoin(self.base_url + "/", href.lstrip("/"))

    def request(
        self,
        method: str,
        href: str,
        *,
        body: Any = None,
        accept: str | None = None,
        content_type: str = "application/json",
    ) -> requests.Response:
        """Send one request, retrying 5xx/408/429 and timeouts with back-off.

        Each retry is announced through ``on_retry``. A broker that cannot be reached at all
        (refused, unknown host) fails at once with :class:`BrokerUnreachableError`.
        """
        import requests

        url = self.url_for(href)
        headers = {"Accept": accept or "application/hal+json, application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = content_type
            data = json.dumps(body).encode("utf-8")
        attempt = 0
        while True:
            delay = min(self.backoff * (2**attempt), 30.0)
            try:
                response = self.session.request(
                    method, url, data=data, headers=headers, timeout=self.timeout
                )
            except requests.Timeout as exc:
                if attempt >= self.retries:
                    raise BrokerError(method, url, None, f"{type(exc).__name__}: {exc}") from exc
                reason = f"no answer within {self.timeout:g} s"
            except requests.RequestException as exc:
                # refused, unknown host, TLS: retrying only delays the same answer
                raise BrokerUnreachableError(
                    method, url, self.base_url, _unreachable_reason(exc)
                ) from exc
            else:
                if response.status_code not in _RETRY_STATUSES or attempt >= self.retries:
                    if response.status_code >= 400:
                        raise BrokerError(
                            method, url, response.status_code, _error_detail(response)
                        )
                    return response
                reason = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After", "")
                if response.status_code == 429 and retry_after.isdigit():
                    delay = min(float(retry_after), 30.0)
            attempt += 1
            self._on_retry(
                f"{method} {url}: {reason}; retry {attempt} of {self.retries} in {delay:g} s"
            )
            self._sleep(delay)

    def get_json(self, href: str) -> JsonObject:
        return self._json(self.request("GET", href), "GET")

    def post_json(self, href: str, body: Any) -> JsonObject:
        return self._json(self.request("POST", href, body=body), "POST")

    def put_json(self, href: str, body: Any) -> JsonObject:
        return self._json(self.request("PUT", href, body=body), "PUT")

    def patch_json(self, href: str, body: Any) -> JsonObject:
        """A JSON merge patch (``application/merge-patch+json``), as the official clients send."""
        response = self.request(
            "PATCH", href, body=body, content_type="application/merge-patch+json"
        )
        return self._json(response, "PATCH")

    def delete(self, href: str) -> JsonObject:
        return self._json(self.request("DELETE", href), "DELETE")

    @staticmethod
    def _json(response: requests.Response, method: str) -> JsonObject:
        if response.status_code == 204 or not response.content:
            return {}
        try:
            value = response.json()
        except ValueError:
            raise BrokerError(
                method,
                response.url,
                response.status_code,
                "the broker did not answer with JSON "
                f"(Content-Type {response.headers.get('Content-Type')!r})",
            ) from None
        if not isinstance(value, dict):
            raise BrokerError(method, response.url, response.status_code, "expected a JSON object")
        return value

    # -- HAL navigation ------------------------------------------------------------------------

    def index(self) -> JsonObject:
        if self._index is None:
            self._index = self.get_json(self.base_url + "/")
        return self._index

    def link(self, resource: Mapping[str, Any], relation: str, **values: str) -> str:
        """The href of ``relation`` in ``resource``'s ``_links``, with templates filled."""
        links = resource.get("_links")
        link = links.get(relation) if isinstance(links, Mapping) else None
        if isinstance(link, list):
            link = link[0] if link else None
        if not isinstance(link, Mapping) or not isinstance(link.get("href"), str):
            where = resource.get("_links", {}).get("self", {}) if isinstance(links, Mapping) else {}
            self_href = where.get("href", self.base_url) if isinstance(where, Mapping) else ""
            raise BrokerError(
                "GET",
                str(self_href),
                None,
                f"the broker's response has no {relation!r} link; "
                "is this a Pact Broker, and a recent enough version?",
            )
        return expand_href(str(link["href"]), values)

    def index_link(self, relation: str, **values: str) -> str:
        return self.link(self.index(), relation, **values)

    # -- what the verifier needs -----------------------------------------------------------------

    def for_verification(
        self,
        provider: str,
        *,
        consumer_version_selectors: Sequence[Mapping[str, Any]] = (),
        provider_version_branch: str | None = None,
        provider_version_tags: Sequence[str] = (),
        include_pending_status: bool = False,
        include_wip_pacts_since: str | None = None,
    ) -> list[JsonObject]:
        """The ``_embedded.pacts`` entries of ``pb:provider-pacts-for-verification``."""
        href = self.index_link("pb:provider-pacts-for-verification", provider=provider)
        resource = self.get_json(href)
        post_href = self.link(resource, "self") if "_links" in resource else href
        body: JsonObject = {
            "consumerVersionSelectors": [dict(selector) for selector in consumer_version_selectors],
            "includePendingStatus": include_pending_status,
        }
        if provider_version_tags:
            body["providerVersionTags"] = list(provider_version_tags)
        if provider_version_branch:
            body["providerVersionBranch"] = provider_version_branch
        if include_wip_pacts_since:
            body["includeWipPactsSince"] = include_wip_pacts_since
        answer = self.post_json(post_href, body)
        pacts = answer.get("_embedded", {}).get("pacts", [])
        return [entry for entry in pacts if isinstance(entry, dict)]

    def latest_provider_pacts(self, provider: str, tag: str | None = None) -> list[JsonObject]:
        """The legacy listing (``pb:latest-provider-pacts[-with-tag]``): ``[{href, name}]``."""
        if tag is None:
            href = self.index_link("pb:latest-provider-pacts", provider=provider)
        else:
            href = self.index_link("pb:latest-provider-pacts-with-tag", provider=provider, tag=tag)
        resource = self.get_json(href)
        links = resource.get("_links", {})
        entries = links.get("pacts") or links.get("pb:pacts") or []
        return [entry for entry in entries if isinstance(entry, dict)]

    def fetch_pact(self, url: str) -> JsonObject:
        """A pact document (with the ``_links`` and ``_id``\\s the broker adds)."""
        return self.get_json(url)

    def publish_verification_results(self, url: str, body: Mapping[str, Any]) -> JsonObject:
        return self.post_json(url, body)

    def record_provider_version(
        self, provider_href: str, version: str, *, branch: str | None, tags: Sequence[str]
    ) -> None:
        """Put the provider version on its branch and tags before publishing results."""
        if not branch and not tags:
            return
        provider = self.get_json(provider_href)
        if branch:
            self.put_json(
                self.link(provider, "pb:branch-version", branch=branch, version=version), {}
            )
        for tag in tags:
            self.put_json(self.link(provider, "pb:version-tag", version=version, tag=tag), {})
