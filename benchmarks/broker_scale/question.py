"""One question of the catalogue: the route it exercises and the request that asks it."""

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

HAL = "application/hal+json"
HTML = "text/html"


@dataclass(frozen=True)
class WholeList:
    """An answer that lists a whole history because no page was asked (the Pact Broker's
    behaviour, docs/compatibility.md "Unpaged lists are whole"). Its time grows with the list
    by design, so the report bounds its cost per item instead (``report.py``)."""

    member: str
    """Where the answer lists the items: ``_embedded.versions``, ``_links.pb:pacts``."""
    items: int
    """How many items the seeded shape gives it (tests/broker/test_scale_whole_lists.py
    checks this against a seeded broker's answer)."""


@dataclass(frozen=True)
class Question:
    """``template`` is the app's path template without convertors (``/pacticipants/{name}``);
    ``values`` fill it, so the path asked always matches the route named."""

    name: str
    method: str
    template: str
    values: Mapping[str, str] = field(default_factory=dict)
    query: str = ""
    body: Any = None
    accept: str = HAL
    whole_list: WholeList | None = None

    @property
    def route(self) -> str:
        return f"{self.method} {self.template}"

    def path(self) -> str:
        filled = self.template
        for key, value in self.values.items():
            filled = filled.replace("{" + key + "}", quote(value, safe=""))
        if "{" in filled:
            raise ValueError(f"{self.name}: {self.template} has parameters without values")
        return filled + (f"?{self.query}" if self.query else "")


def get(
    label: str,
    template: str,
    /,
    query: str = "",
    accept: str = HAL,
    whole_list: WholeList | None = None,
    **values: str,
) -> Question:
    """A ``GET`` question (``values`` fill the template; ``name`` may be one of them)."""
    return Question(
        label, "GET", template, values, query=query, accept=accept, whole_list=whole_list
    )


def page(label: str, template: str, /, query: str = "", **values: str) -> Question:
    """A UI page, asked as a browser asks it."""
    return Question(label, "GET", template, values, query=query, accept=HTML)


def metadata_segment(consumer_version: str) -> str:
    """The base64url ``metadata`` segment of a pact URL naming its consumer version."""
    raw = f"cvn={quote(consumer_version, safe='')}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
