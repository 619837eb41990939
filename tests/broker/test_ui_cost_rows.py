"""The rows the pages now build in Python are the markup their Jinja templates made, byte for
byte (issue #22: rendering cost as much as a page's statements).

Each test renders the template code the rows replaced (kept here verbatim, with the UI's own
Jinja settings: autoescaping, trimmed blocks, the same filters and fragments), or calls the
function as it was, and the new function on the same values, with every branch taken and
hostile names, and compares them. The network's layout and drawing, remembered between
pages, are drawn again whenever anything they show changes.
"""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from accord_broker.domain.deployments.environment_overview import Residency, Stay
from accord_broker.domain.integrations.integration_status import LatestResult, Status
from accord_broker.domain.integrations.network import Network
from accord_broker.domain.integrations.overview import IntegrationRow, Placement, VersionLabel
from accord_broker.domain.pacticipants.pacticipant_list import PacticipantRow
from accord_broker.domain.pacticipants.pacticipant_overview import VersionEntry
from accord_broker.domain.versions.version_status import VersionVerification
from accord_broker.ui.fragments import iso_time, placements, version_label, when
from accord_broker.ui.index_rows import integration_row, integration_rows
from accord_broker.ui.network import Edge, lay_out
from accord_broker.ui.network_svg import Drawing, arrows_svg, drawing, nodes_svg
from accord_broker.ui.pacticipant_list_rows import pacticipant_list_rows
from accord_broker.ui.pacticipant_rows import (
    integration_rows as pacticipant_integration_rows,
)
from accord_broker.ui.pacticipant_rows import version_rows
from accord_broker.ui.resident_rows import card_rows, resident_rows
from accord_broker.ui.templating import make_environment
from accord_broker.web.links import segment
from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

UI = "http://broker.example/base&<ui>"
HOSTILE = "we<b>&\"'/ b"
NOW = datetime.now(UTC)

INTEGRATION_TABLE = """\
{% for row in rows %}
  {% set other = row.provider if other_role == "Provider" else row.consumer %}
  <tr class="integration" data-consumer="{{ row.consumer }}" data-provider="{{ row.provider }}">
    <td><a href="{{ ui }}/pacticipants/{{ other|seg }}">{{ other }}</a></td>
    <td>{{ version_label(row.consumer_version) }} · <a href="{{ ui }}/pacts/provider/{{ row.provider|seg }}/consumer/{{ row.consumer|seg }}/latest">{{ when(row.pact_published_at) }}</a></td>
    <td>{{ status_pill(row.status) }}</td>
    <td><a href="{{ ui }}/matrix/provider/{{ row.provider|seg }}/consumer/{{ row.consumer|seg }}">matrix</a></td>
  </tr>
  {% endfor %}
"""  # noqa: E501 - the template's lines as they were
"""The ``integration_table`` macro's rows (``pacticipant.html``) before they moved to Python."""

VERSION_ROWS = """\
    {% for v in page.versions %}
    {% set r = v.verification %}
    <tr class="version-row" data-version="{{ v.label.number }}" data-status="{{ r.status }}"><td>{{ version_label(v.label) }}</td><td>{{ when(v.created_at) }}</td>
      <td class="version-status">{% if r.status == "none" %}<span class="muted">—</span>{% else %}<span class="pill status-{{ r.status }}">{{ version_status_labels[r.status] }}</span>
        <span class="muted">{% if r.pacts_passed or r.pacts_failed or r.pacts_unverified %}pacts: {{ r.pacts_passed }} ok, {{ r.pacts_failed }} failed, {{ r.pacts_unverified }} unverified{% endif %}{% if r.verified_passed or r.verified_failed %} verified {{ r.verified_passed }} ok, {{ r.verified_failed }} failed{% endif %}</span>{% endif %}</td>
      <td>{% for e in v.environments %}<a class="chip env{{ ' released' if e.released else '' }}" href="{{ ui }}/environments/{{ e.environment|seg }}">{{ e.environment }}</a> {% endfor %}
        {% for s in v.stays if s.until %}<a class="chip" title="until {{ s.until|iso }}" href="{{ ui }}/environments/{{ s.environment|seg }}?pacticipant={{ p.name|urlencode }}">was in {{ s.environment }}</a> {% endfor %}</td>
      <td><a href="{{ ui }}/can-i-deploy?pacticipant={{ p.name|urlencode }}&amp;version={{ v.label.number|urlencode }}">can I deploy?</a></td></tr>
    {% endfor %}
"""  # noqa: E501 - the template's lines as they were
"""The version rows of ``pacticipant.html`` before they moved to Python."""

PACTICIPANT_ROWS = """\
  {% for p in found.rows %}
  <tr class="pacticipant" data-name="{{ p.name }}">
    <td class="name"><a href="{{ ui }}/pacticipants/{{ p.name|seg }}">{{ p.display_name or p.name }}</a></td>
    <td>{{ p.main_branch or "—" }}</td>
    <td class="labels">{% for l in p.labels %}<a class="chip label" href="{{ ui }}/pacticipants?label={{ l|urlencode }}">{{ l }}</a> {% endfor %}</td>
    <td>{{ version_label(p.latest_version) }}</td>
    <td>{{ p.integrations }}</td>
    <td><a href="{{ ui }}/network?pacticipant={{ p.name|urlencode }}">network</a>
      · <a href="{{ ui }}/can-i-deploy?pacticipant={{ p.name|urlencode }}{% if p.latest_version %}&amp;version={{ p.latest_version.number|urlencode }}{% endif %}">can I deploy?</a></td>
  </tr>
  {% endfor %}
"""  # noqa: E501 - the template's lines as they were
"""The rows of ``pacticipants.html`` before they moved to Python."""

CARD_ROWS = """\
    {% for r in env.current %}
    <tr class="resident" data-pacticipant="{{ r.pacticipant }}"><td><a href="{{ ui }}/pacticipants/{{ r.pacticipant|seg }}">{{ r.pacticipant }}</a></td>
      <td>{{ version_label(r.version) }}</td>
      <td>{% if r.released %}released{% else %}deployed{% if r.application_instance %} ({{ r.application_instance }}){% endif %}{% endif %}</td>
      <td>{{ when(r.since) }}</td></tr>
    {% endfor %}
"""  # noqa: E501 - the template's lines as they were
"""The residents of an environment's card (``environments.html``) before they moved to Python."""

STATUS_LABELS = {
    "success": "verified",
    "failed": "failed",
    "stale": "partly verified",
    "never": "not verified",
}


def _old(source: str, **context: Any) -> str:
    return make_environment().from_string(source).render(ui=UI, **context)


def _result(success: bool, *, pending: bool = False) -> LatestResult:
    return LatestResult(7, 3, 11, "p&1", success, pending, NOW - timedelta(hours=2))


def _integrations() -> list[IntegrationRow]:
    label = VersionLabel("1.0<&>", ("main", HOSTILE), ("prod",))
    return [
        IntegrationRow(HOSTILE, "Accounts", label, NOW, None, _result(True), Status.SUCCESS),
        IntegrationRow("Web", HOSTILE, None, None, None, None, Status.NEVER),
        IntegrationRow("Web", "Accounts/x y", label, NOW, label, _result(False), Status.FAILED),
        IntegrationRow(
            "a'b", 'c"d', label, NOW, None, _result(False, pending=True), Status.FAILED_PENDING
        ),
    ]


def test_the_pacticipant_pages_integration_rows_are_the_macros_markup() -> None:
    rows = _integrations()
    for role in ("Provider", "Consumer"):
        old = _old(INTEGRATION_TABLE, rows=rows, other_role=role)
        assert pacticipant_integration_rows(rows, role, UI) == old
    assert pacticipant_integration_rows([], "Provider", UI) == ""


def _versions() -> list[VersionEntry]:
    label = VersionLabel(HOSTILE, ("main",), ("dev", "a&b"))
    here = [
        Placement("production", "1", application_instance="blue"),
        Placement("test env/€", "1", released=True),
    ]
    stays = [
        Stay("staging&co", False, NOW - timedelta(days=3), NOW - timedelta(days=1)),
        Stay("production", False, NOW - timedelta(days=2)),
        Stay("old <env>", True, NOW - timedelta(days=9), NOW - timedelta(days=8), "x"),
    ]
    verifications = [
        VersionVerification(),
        VersionVerification(pacts_passed=2),
        VersionVerification(pacts_passed=1, pacts_unverified=3),
        VersionVerification(pacts_failed=1, verified_passed=4, verified_failed=2),
        VersionVerification(pacts_unverified=1),
        VersionVerification(verified_passed=5),
        VersionVerification(verified_failed=1),
    ]
    return [
        VersionEntry(
            label, NOW - timedelta(minutes=n), here if n % 2 else [], result, stays[n % 3 :]
        )
        for n, result in enumerate(verifications)
    ]


class _Page:
    def __init__(self, versions: list[VersionEntry]) -> None:
        self.versions = versions


class _Pacticipant:
    name = "team/web & <co>?"


def test_the_pacticipant_pages_version_rows_are_the_templates_markup() -> None:
    versions = _versions()
    old = _old(
        VERSION_ROWS,
        page=_Page(versions),
        p=_Pacticipant(),
        version_status_labels=STATUS_LABELS,
    )

    assert version_rows(versions, _Pacticipant.name, UI, STATUS_LABELS) == old
    assert {v.verification.status for v in versions} == {
        "none",
        "success",
        "stale",
        "failed",
        "never",
    }


def _placements_before(entries: list[Placement]) -> Markup:
    """``fragments.placements`` as it was (a ``Markup`` sum per chip)."""
    parts = []
    for p in entries:
        kind = " released" if p.released else ""
        title = "released" if p.released else "deployed"
        instance = p.application_instance
        if instance:
            title += f" ({instance})"
        shown = escape(p.version) + (escape(f" · {instance}") if instance else "")
        parts.append(f'<span class="chip env{kind}" title="{escape(title)}">{shown}</span>')
    return Markup("".join(parts))


def test_placements_chips_are_the_same_markup_as_before() -> None:
    entries = [
        Placement("prod", "1.0&<b>"),
        Placement("prod", "2.0", application_instance=HOSTILE),
        Placement("prod", "3'0", released=True),
        Placement("prod", '4"0', released=True, application_instance="i&j"),
    ]

    assert placements(entries) == _placements_before(entries)
    assert placements([]) == ""


def test_the_index_rows_are_each_rows_markup_with_shared_chips_built_once() -> None:
    shared = {"prod": [Placement("prod", "1.0", application_instance="a<b")]}
    rows = [
        IntegrationRow(c, p, None, None, None, None, Status.NEVER, consumer_placements=shared)
        for c, p in (("Web", "Accounts"), ("Web", HOSTILE), (HOSTILE, "Web"))
    ]
    rows.append(
        IntegrationRow(
            "Mobile",
            "Web",
            None,
            None,
            None,
            None,
            Status.NEVER,
            consumer_placements={"prod": [Placement("prod", "9")]},
            provider_placements=shared,
        )
    )
    environments = ["prod", "test"]

    together = integration_rows(rows, environments, UI)

    assert together == "".join(integration_row(row, environments, UI) for row in rows)
    assert together.count('title="deployed (a&lt;b)"') == 4


class _Found:
    def __init__(self, rows: list[PacticipantRow]) -> None:
        self.rows = rows


def test_the_pacticipants_pages_rows_are_the_templates_markup() -> None:
    label = VersionLabel("1.0 &<x>", ("main",), ("prod&",))
    rows = [
        PacticipantRow(HOSTILE, None, None, [], None, 0),
        PacticipantRow("Web", "Web <app>", "main&", ["team a", "b&c"], label, 3),
        PacticipantRow("a/b c", "", "", ["x"], VersionLabel("2"), 12),
    ]

    old = _old(PACTICIPANT_ROWS, found=_Found(rows))

    assert pacticipant_list_rows(rows, UI) == old


def _residents() -> list[Residency]:
    label = VersionLabel("1<2", ("main",), ("t&g",))
    since, until = NOW - timedelta(days=2), NOW - timedelta(hours=5)
    return [
        Residency(HOSTILE, label, False, since, until, "blue&green"),
        Residency("Web", label, True, since, until),
        Residency(HOSTILE, VersionLabel("2"), False, since, None),
        Residency("a/b c", label, False, since, until, None),
    ]


class _Env:
    def __init__(self, current: list[Residency]) -> None:
        self.current = current


def test_an_environment_cards_rows_are_the_templates_markup() -> None:
    residents = _residents()

    assert card_rows(residents, UI) == _old(CARD_ROWS, env=_Env(residents))


def _resident_rows_before(rows: list[Residency], ended: bool, ui: str, environment: str) -> Markup:
    """``resident_rows`` as it was (every name escaped and quoted on every row)."""
    base = escape(ui)
    history = f"{base}/environments/{escape(segment(environment))}?pacticipant="
    out = []
    for r in rows:
        name = escape(r.pacticipant)
        if r.released:
            how = "released"
        elif r.application_instance:
            how = f"deployed ({escape(r.application_instance)})"
        else:
            how = "deployed"
        until = f"<td>{_when_before(r.until)}</td>" if ended else ""
        check = f"{history}{escape(do_urlencode(r.pacticipant))}"
        out.append(
            f'  <tr class="resident" data-pacticipant="{name}"><td class="name">'
            f'<a href="{base}/pacticipants/{escape(segment(r.pacticipant))}">{name}</a></td>\n'
            f"    <td>{version_label(r.version)}</td>\n"
            f"    <td>{how}</td>\n"
            f"    <td>{_when_before(r.since)}</td>{until}"
            f'    <td><a href="{check}">history</a></td></tr>\n'
        )
    return Markup("".join(out))


def test_an_environments_rows_are_the_same_markup_as_before() -> None:
    residents = _residents()
    for ended in (False, True):
        before = _resident_rows_before(residents, ended, UI, "prod & <co>")
        assert resident_rows(residents, ended, UI, "prod & <co>") == before


def _when_before(value: datetime | None) -> Markup:
    """``fragments.when`` as it was (converting every time, escaping both texts)."""
    if value is None:
        return Markup('<span class="muted">—</span>')
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    exact = escape(aware.astimezone(UTC).replace(microsecond=0).isoformat())
    age = escape(when(value).split(">")[1].split("<")[0])
    return Markup(f'<time datetime="{exact}" title="{exact}">{age}</time>')


def test_times_read_the_same_whatever_their_zone() -> None:
    moments = [
        datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5),
        datetime(2026, 1, 2, 3, 4, 5, 1, tzinfo=ZoneInfo("Europe/Paris")),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-5))),
        NOW - timedelta(minutes=3),
    ]
    for moment in moments:
        aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        assert iso_time(moment) == aware.astimezone(UTC).replace(microsecond=0).isoformat()
        assert when(moment) == _when_before(moment)


def _network(**changes: Any) -> Network:
    facts: dict[str, Any] = {
        "links": [],
        "labels": {"Web": ["team-a"], HOSTILE: [], "Accounts": ["team-b", "x&y"]},
        "placed": {"Web": ["1.0"]},
        "environment": "production",
        "label": "team-a",
    }
    return Network(**(facts | changes))


def test_a_network_is_laid_out_and_drawn_once_and_drawn_again_when_anything_shown_changes() -> None:
    edges = [
        Edge("Web", "Accounts", Status.SUCCESS),
        Edge(HOSTILE, "Accounts", Status.FAILED),
        Edge("Web", HOSTILE, Status.NEVER),
    ]
    diagram = lay_out(edges)
    network = _network()

    assert lay_out(list(edges)) is diagram
    assert lay_out(edges, focus="Web") is not diagram
    drawn = drawing(diagram, network, UI)
    assert drawing(lay_out(edges), _network(), UI) is drawn
    assert drawn == Drawing(arrows_svg(diagram.arrows, UI), nodes_svg(diagram.nodes, network, UI))
    for changed in (
        _network(placed={"Web": ["1.1"]}),
        _network(labels={"Web": ["team-a", "z"]}),
        _network(environment="test"),
        _network(label=None),
    ):
        again = drawing(diagram, changed, UI)
        assert again.nodes == nodes_svg(diagram.nodes, changed, UI) != drawn.nodes
    assert drawing(diagram, network, "http://elsewhere").arrows != drawn.arrows
    moved = drawing(lay_out(edges[:2]), network, UI)
    assert moved.arrows == arrows_svg(lay_out(edges[:2]).arrows, UI) != drawn.arrows
