"""Ask a Pact Broker's matrix whether versions can be deployed (or merged) together.

The official CLIs do not read the index for this: they send one ``GET /matrix`` whose query uses
Rack's nested syntax with raw ``[]`` brackets and percent-encoded values, in a fixed order. The
broker pairs ``q[][k]=v`` parameters into selectors by position, so the order matters, and this
module reproduces it exactly. :func:`explain` turns the rows that decided a "no" into one
sentence each, with the URL to look at.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from accord.broker_client.client import BrokerClient, JsonObject


@dataclass(frozen=True, slots=True)
class VersionSelector:
    """One ``--pacticipant`` and the version options that followed it on the command line."""

    pacticipant: str
    version: str | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None
    main_branch: bool = False


@dataclass(frozen=True, slots=True)
class MatrixQuery:
    """Which versions to check, and against what (an environment, a tag, or the main branches)."""

    selectors: Sequence[VersionSelector]
    ignore: Sequence[VersionSelector] = ()
    to_environment: str | None = None
    to_tag: str | None = None
    main_branch: bool = False  # can-i-merge: against every integrated main branch


def _pair(key: str, value: str) -> str:
    return f"{key}={quote(value, safe='')}"


def _selector_params(prefix: str, selector: VersionSelector) -> list[str]:
    params = [_pair(f"{prefix}[][pacticipant]", selector.pacticipant)]
    if selector.version is not None:
        params.append(_pair(f"{prefix}[][version]", selector.version))
    if selector.latest:
        params.append(f"{prefix}[][latest]=true")
    if selector.tag is not None:
        params.append(_pair(f"{prefix}[][tag]", selector.tag))
    if selector.branch is not None:
        params.append(_pair(f"{prefix}[][branch]", selector.branch))
    if selector.main_branch:
        params.append(f"{prefix}[][mainBranch]=true")
    return params


def matrix_query_string(query: MatrixQuery) -> str:
    """The query string the official CLI sends for ``query`` (brackets raw, values encoded).

    ``latestby=cvpv`` when an environment is given or several selectors are, otherwise
    ``latestby=cvp`` with ``latest=true`` ("against the latest of everything else").
    """
    params: list[str] = []
    for selector in query.selectors:
        params.extend(_selector_params("q", selector))
    for ignored in query.ignore:
        params.extend(_selector_params("ignore", ignored))
    if query.to_environment is not None:
        params += ["latestby=cvpv", _pair("environment", query.to_environment)]
    elif query.to_tag is not None:
        latestby = "cvp" if len(query.selectors) == 1 else "cvpv"
        params += [_pair("tag", query.to_tag), f"latestby={latestby}", "latest=true"]
    elif len(query.selectors) == 1:
        params += ["latestby=cvp", "latest=true"]
        if query.main_branch:
            params.append("mainBranch=true")
    else:
        params.append("latestby=cvpv")
        if query.main_branch:
            params += ["latest=true", "mainBranch=true"]
    return "&".join(params)


def query_matrix(client: BrokerClient, query: MatrixQuery) -> JsonObject:
    """``GET /matrix?…`` (a path every Pact Broker serves; the index is not consulted)."""
    return client.get_json("/matrix?" + matrix_query_string(query))


# -- reading the answer -----------------------------------------------------------------------


def deployable(body: JsonObject) -> bool | None:
    """``summary.deployable``: ``True`` yes, ``False`` no, ``None`` not known yet."""
    summary = body.get("summary")
    value = summary.get("deployable") if isinstance(summary, dict) else None
    return value if isinstance(value, bool) else None


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """The fields of one matrix row a person needs to see."""

    consumer: str
    consumer_version: str | None
    provider: str
    provider_version: str | None
    success: bool | None
    verification_url: str | None
    pact_url: str | None
    ignored: bool = False


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def matrix_rows(body: JsonObject) -> list[MatrixRow]:
    """Every row of the answer, tolerant of the optional parts brokers leave out."""
    rows = body.get("matrix")
    if not isinstance(rows, list):
        return []
    parsed = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        verification = row.get("verificationResult")
        success = verification.get("success") if isinstance(verification, dict) else None
        parsed.append(
            MatrixRow(
                consumer=str(_dig(row, "consumer", "name") or "?"),
                consumer_version=_text(_dig(row, "consumer", "version", "number")),
                provider=str(_dig(row, "provider", "name") or "?"),
                provider_version=_text(_dig(row, "provider", "version", "number")),
                success=success if isinstance(success, bool) else None,
                verification_url=_text(_dig(verification, "_links", "self", "href")),
                pact_url=_text(_dig(row, "pact", "_links", "self", "href")),
                ignored=row.get("ignored") is True,
            )
        )
    return parsed


def explain(body: JsonObject, *, environment: str | None = None) -> list[str]:
    """One sentence per failing or unverified integration, each with the URL to look at.

    When no row explains a "no" (say, the version was never published), the broker's own
    ``summary.reason`` lines are returned instead.
    """
    sentences = []
    told = _broker_sentences(body)
    for row in matrix_rows(body):
        if row.ignored or row.success is True:
            continue
        consumer = f"{row.consumer} {row.consumer_version or '(unknown version)'}"
        if row.success is False:
            url = row.verification_url or row.pact_url
            # the broker's own sentence for this result, when it has one, says more (accord's
            # broker names the failed interactions or the incompatible field)
            found = next((line for line in told if url and url in line), None)
            sentences.append(
                found
                or f"The verification of the pact between {consumer} and {row.provider} "
                f"{row.provider_version} failed: {url}"
            )
        elif row.provider_version is None:
            where = f" in {environment}" if environment else ""
            sentences.append(
                f"The pact between {consumer} and {row.provider} has not been verified by any "
                f"version of {row.provider}{where}; pact: {row.pact_url or 'unknown URL'}"
            )
        else:
            sentences.append(
                f"The pact between {consumer} and {row.provider} has not been verified by "
                f"{row.provider} {row.provider_version}; pact: {row.pact_url or 'unknown URL'}"
            )
    if sentences or deployable(body) is True:
        return sentences
    reason = _dig(body, "summary", "reason")
    if isinstance(reason, str) and reason.strip():
        return [line.strip() for line in reason.splitlines() if line.strip()]
    return ["The broker did not say why."]


def _broker_sentences(body: JsonObject) -> list[str]:
    """The lines of the broker's ``summary.reason`` (where a Pact Broker explains a "no")."""
    reason = _dig(body, "summary", "reason")
    if not isinstance(reason, str):
        return []
    return [line.strip() for line in reason.splitlines() if line.strip()]


def notices(body: JsonObject) -> list[str]:
    """The ``notices[].text`` the broker attached (warnings, hints)."""
    found = body.get("notices")
    if not isinstance(found, list):
        return []
    return [str(item["text"]) for item in found if isinstance(item, dict) and "text" in item]
