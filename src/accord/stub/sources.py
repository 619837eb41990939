"""Where the served pacts come from: files, directories, URLs and a Pact Broker.

The same loaders as the verifier's (``accord.verifier.sources``), so a pact the verifier reads
the stub reads too, with the same errors. From a broker the stub asks for the provider's pacts
for verification (consumer version selectors, the broker's own default when none are given) and
keeps the consumers named, as ``pact stub --broker-url --provider-name --consumer-name`` does.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.broker_client import BrokerAuth, BrokerClient
from accord.broker_client.settings import DEFAULT_RETRIES
from accord.errors import StubConfigError
from accord.pact import Pact


@dataclass(frozen=True, slots=True)
class BrokerPacts:
    """Which pacts to fetch from a broker: one provider's, optionally of some consumers only.

    ``consumers`` are names or regular expressions matched against the whole consumer name;
    ``selectors`` are consumer version selectors as the for-verification endpoint takes them
    (``{"mainBranch": true}``, ``{"deployedOrReleased": true}``, ...).
    """

    url: str
    provider: str
    consumers: Sequence[str] = ()
    selectors: Sequence[Mapping[str, Any]] = ()
    auth: BrokerAuth = field(default_factory=BrokerAuth)
    retries: int = DEFAULT_RETRIES


def _directory(path: Path, extension: str) -> list[Path]:
    if not path.is_dir():
        raise StubConfigError(
            f"pact directory {str(path)!r} does not exist; give a directory of pact files "
            "to -d/--dir"
        )
    return sorted(path.glob(f"*.{extension.lstrip('.')}"))


def _consumer_filter(consumers: Sequence[str]) -> list[re.Pattern[str]]:
    patterns = []
    for consumer in consumers:
        try:
            patterns.append(re.compile(consumer))
        except re.error:
            patterns.append(re.compile(re.escape(consumer)))
    return patterns


def load_from_broker(source: BrokerPacts) -> list[Pact]:
    """The provider's pacts for verification from the broker, kept to the consumers named."""
    from accord.verifier.sources import BrokerOptions
    from accord.verifier.sources import load_from_broker as broker_pacts

    options = BrokerOptions(
        url=source.url,
        provider=source.provider,
        auth=source.auth,
        consumer_version_selectors=list(source.selectors),
        retries=source.retries,
    )
    wanted = _consumer_filter(source.consumers)
    with BrokerClient(source.url, auth=source.auth, retries=source.retries) as client:
        pacts = [loaded.pact for loaded in broker_pacts(client, options)]
    if not wanted:
        return pacts
    return [p for p in pacts if any(w.fullmatch(p.consumer) for w in wanted)]


def load_pacts(
    *,
    files: Sequence[str | Path] = (),
    dirs: Sequence[str | Path] = (),
    urls: Sequence[str] = (),
    extension: str = "json",
    broker: BrokerPacts | None = None,
    auth: BrokerAuth | None = None,
) -> list[Pact]:
    """Every pact of every source, in the order given (files, directories, URLs, broker).

    ``auth`` is sent to ``urls`` (a broker source carries its own). A source that does not
    exist or does not hold a pact is a typed error naming it.
    """
    from accord.verifier.sources import load_file, load_url

    pacts = [load_file(Path(file)).pact for file in files]
    for directory in dirs:
        pacts.extend(load_file(path).pact for path in _directory(Path(directory), extension))
    pacts.extend(load_url(url, auth or BrokerAuth()).pact for url in urls)
    if broker is not None:
        pacts.extend(load_from_broker(broker))
    return pacts
