"""Where webhooks may send requests: an allow-list of schemes, methods and hosts.

A webhook is a request the broker makes on a user's behalf from inside the network, so it is a
server-side request forgery tool unless fenced. The fence:

* deny by default: a host must match ``ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS`` (names,
  ``*.example.com`` — one label, as in TLS certificates —, IP addresses, CIDR ranges, or
  ``/regex/``); the scheme and method must be allowed too (``https`` and ``POST`` by default);
* never link-local, unspecified, multicast or cloud-metadata addresses (169.254.169.254 and
  friends), whatever the patterns say — checked on the URL *and* on every address the host name
  resolves to at delivery time, and the connection then goes to an address that was checked (no
  second lookup an attacker's DNS could answer differently);
* no template variables in the host: what is checked is what is called.
"""

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from accord_broker.errors import WebhookTargetRefusedError

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)


@dataclass(frozen=True, slots=True)
class TargetPolicy:
    """The allowed schemes, methods and host patterns (from the broker's settings)."""

    hosts: tuple[str, ...]
    schemes: tuple[str, ...] = ("https",)
    methods: tuple[str, ...] = ("POST",)

    def allows_method(self, method: str) -> bool:
        return method.upper() in {m.upper() for m in self.methods}

    def allows_scheme(self, scheme: str) -> bool:
        return scheme.lower() in {s.lower() for s in self.schemes}

    def allows_host(self, host: str) -> bool:
        return any(_host_matches(pattern, host) for pattern in self.hosts)

    def describe_hosts(self) -> str:
        return ", ".join(self.hosts) if self.hosts else "(none: every host is denied)"


def _as_ip(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _host_matches(pattern: str, host: str) -> bool:
    host = host.lower().rstrip(".")
    pattern = pattern.strip()
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        return re.search(pattern[1:-1], host) is not None
    if pattern.startswith("*."):
        suffix = pattern[1:].lower()
        return host.endswith(suffix) and "." not in host[: -len(suffix)] and host != suffix
    address = _as_ip(host)
    if "/" in pattern:
        try:
            network = ipaddress.ip_network(pattern, strict=False)
        except ValueError:
            return False
        return address is not None and address in network
    allowed_address = _as_ip(pattern)
    if allowed_address is not None:
        return address is not None and _unmapped(address) == _unmapped(allowed_address)
    return host == pattern.lower().rstrip(".")


def _unmapped(address: IpAddress) -> IpAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def forbidden_reason(address: IpAddress) -> str | None:
    """Why ``address`` may never be called, or ``None`` when the allow-list decides."""
    address = _unmapped(address)
    if address in _METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address == ipaddress.IPv4Address(
        "255.255.255.255"
    ):
        return "the broadcast address"
    return None


def url_problems(policy: TargetPolicy, url: str) -> list[str]:
    """What is wrong with ``url`` as a webhook target (empty when it may be called).

    ``url`` may contain ``${pactbroker.*}`` variables outside its host; they are replaced by a
    placeholder to check the rest.
    """
    probe = re.sub(r"\$\{[^}]*\}", "placeholder", url)
    other = re.sub(r"\$\{[^}]*\}", "otherplaceholder", url)
    try:
        parts = urlsplit(probe)
        host = parts.hostname
        other_host = urlsplit(other).hostname
    except ValueError:
        return ["is not a valid URL, e.g. https://ci.example.com/hook"]
    if not parts.scheme or not host:
        return ["is not an absolute URL with a scheme and host, e.g. https://ci.example.com/hook"]
    if host != other_host:
        return ["cannot have a template parameter in the host"]
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url):
        return ["must not contain spaces or control characters (CR, LF, NUL…)"]
    if parts.scheme.lower() not in ("http", "https"):
        # whatever the allowed schemes say: a webhook is an HTTP request
        return ["scheme must be http or https"]
    if not policy.allows_scheme(parts.scheme):
        return [
            f"scheme must be one of {', '.join(policy.schemes)} "
            "(set ACCORD_BROKER_WEBHOOK_ALLOWED_SCHEMES to allow others)"
        ]
    address = _as_ip(host)
    reason = forbidden_reason(address) if address is not None else None
    if reason is not None:
        return [f"host {host} is {reason}; webhooks may never call it"]
    if not policy.allows_host(host):
        return [
            f"host {host} is not in the allowed hosts {policy.describe_hosts()} "
            "(set ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS to allow it)"
        ]
    return []


def method_problems(policy: TargetPolicy, method: str) -> list[str]:
    if policy.allows_method(method):
        return []
    return [
        f"must be one of {', '.join(policy.methods)} "
        "(set ACCORD_BROKER_WEBHOOK_ALLOWED_METHODS to allow others)"
    ]


def check_target(policy: TargetPolicy, method: str, url: str) -> None:
    """Raise :class:`WebhookTargetRefusedError` unless the rendered request may be sent."""
    problems = method_problems(policy, method) + url_problems(policy, url)
    if problems:
        raise WebhookTargetRefusedError(f"{method} {url} refused: {'; '.join(problems)}")


def resolve_checked(host: str, port: int) -> list[IpAddress]:
    """The addresses ``host`` resolves to, all of them permitted (else refused, all or nothing)."""
    literal = _as_ip(host)
    if literal is not None:
        addresses: list[IpAddress] = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise WebhookTargetRefusedError(f"cannot resolve host {host}: {exc}") from exc
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    for address in addresses:
        reason = forbidden_reason(address)
        if reason is not None:
            raise WebhookTargetRefusedError(
                f"host {host} resolves to {address}, {reason}; webhooks may never call it"
            )
    if not addresses:
        raise WebhookTargetRefusedError(f"host {host} resolves to no address")
    return addresses
