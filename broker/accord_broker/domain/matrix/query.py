"""The matrix question as asked: selectors and options, parsed from a Rack-style query string.

Clients send ``q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&…`` with raw brackets
and interleave the keys differently (broker.md §2.9), so the Rack rule is reproduced exactly:
a ``q[][k]`` value goes into the last selector unless that selector already has ``k``, in which
case it starts a new one.
"""

import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl

from accord_broker.domain.limits import COUNT_MAX

LATESTBY_VALUES = ("cvp", "cvpv", "cp")
DEFAULT_LIMIT = 100
"""The Pact Broker's default ``/matrix`` limit: a query can never return an unbounded table."""

_NESTED = re.compile(r"^(q|ignore)\[\]\[([A-Za-z]+)\]$")


@dataclass(frozen=True, slots=True)
class UnresolvedSelector:
    """One ``q[]`` (or ``ignore[]``) entry: a pacticipant and which of its versions."""

    pacticipant: str | None
    version: str | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None
    main_branch: bool = False
    environment: str | None = None
    latest_given: bool = False
    """``latest`` appeared in the query at all (``version`` + ``latest`` is a client error)."""

    @property
    def only_pacticipant_name(self) -> bool:
        """Nothing but the name: the selector means "every version of it"."""
        return not (
            self.version
            or self.latest
            or self.tag
            or self.branch
            or self.main_branch
            or self.environment
        )


@dataclass(frozen=True, slots=True)
class MatrixOptions:
    """The top-level options of a matrix query (``latestby``, destination, ``limit``…)."""

    latestby: str | None = None
    limit: int | None = DEFAULT_LIMIT
    latest: bool = False
    tag: str | None = None
    environment: str | None = None
    main_branch: bool = False
    success: tuple[bool | None, ...] | None = None
    ignore: tuple[UnresolvedSelector, ...] = ()
    raw_limit: str | None = None
    """The ``limit`` as sent, when it was not a positive integer (reported by validation)."""

    @property
    def has_destination(self) -> bool:
        """A "deploy to X" question: the other side is inferred from the destination."""
        return bool(self.latest or self.tag or self.environment or self.main_branch)


@dataclass(frozen=True, slots=True)
class MatrixQuery:
    selectors: tuple[UnresolvedSelector, ...]
    options: MatrixOptions = field(default_factory=MatrixOptions)


def _selector(values: dict[str, str]) -> UnresolvedSelector:
    def text(key: str) -> str | None:
        value = values.get(key)
        return value if value else None

    return UnresolvedSelector(
        pacticipant=text("pacticipant"),
        version=text("version"),
        latest=values.get("latest") == "true",
        tag=text("tag"),
        branch=text("branch"),
        main_branch=values.get("mainBranch") == "true",
        environment=text("environment"),
        latest_given="latest" in values,
    )


def _append_nested(groups: list[dict[str, str]], key: str, value: str) -> None:
    if not groups or key in groups[-1]:
        groups.append({})
    groups[-1][key] = value


def parse_matrix_query(query_string: str) -> MatrixQuery:
    """Parse a ``/matrix`` query string (as sent by the official CLIs) into selectors/options."""
    selectors: list[dict[str, str]] = []
    ignores: list[dict[str, str]] = []
    flat: dict[str, str] = {}
    success: list[bool | None] = []
    success_given = False
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        nested = _NESTED.match(key)
        if nested:
            target = selectors if nested.group(1) == "q" else ignores
            _append_nested(target, nested.group(2), value)
        elif key == "ignore[]":
            ignores.append({"pacticipant": value})
        elif key in ("success[]", "success"):
            success_given = True
            success.append(None if value == "" else value == "true")
        else:
            flat[key] = value
    raw_limit = flat.get("limit") or None
    limit: int | None = DEFAULT_LIMIT
    bad_limit: str | None = None
    if raw_limit is not None:
        if raw_limit.isascii() and raw_limit.isdigit() and 1 <= int(raw_limit) <= COUNT_MAX:
            limit = int(raw_limit)
        else:
            bad_limit = raw_limit
    options = MatrixOptions(
        latestby=flat.get("latestby") or None,
        limit=limit,
        latest=flat.get("latest") == "true",
        tag=flat.get("tag") or None,
        environment=flat.get("environment") or None,
        main_branch=flat.get("mainBranch") == "true",
        success=tuple(success) if success_given else None,
        ignore=tuple(_selector(i) for i in ignores),
        raw_limit=bad_limit,
    )
    return MatrixQuery(tuple(_selector(s) for s in selectors), options)


def can_i_deploy_query(
    pacticipant: str,
    version: str,
    *,
    environment: str | None = None,
    to_tag: str | None = None,
    ignore: tuple[UnresolvedSelector, ...] = (),
) -> MatrixQuery:
    """``/can-i-deploy``: one version, to an environment (``cvpv``) or to a tag (``cvp``).

    With an environment every co-resident version of the other applications must be compatible
    (several instances, several supported releases), hence ``cvpv`` (Pact Broker issue #903).
    """
    selector = UnresolvedSelector(pacticipant=pacticipant, version=version)
    if environment is not None:
        options = MatrixOptions(latestby="cvpv", environment=environment, limit=None)
    else:
        options = MatrixOptions(latestby="cvp", tag=to_tag, latest=True, limit=None)
    return MatrixQuery((selector,), replace(options, ignore=ignore))


def can_i_merge_query(pacticipant: str, version: str) -> MatrixQuery:
    """Is ``version`` compatible with the head of the main branch of every integrated app?"""
    selector = UnresolvedSelector(pacticipant=pacticipant, version=version)
    options = MatrixOptions(latestby="cvp", latest=True, main_branch=True, limit=None)
    return MatrixQuery((selector,), options)
