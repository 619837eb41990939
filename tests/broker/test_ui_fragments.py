"""The HTML pieces the pages repeat: the same markup the Jinja macros made, with every user
value escaped (names, branches, tags and application instances come from users)."""

import re
from datetime import UTC, datetime, timedelta

from accord_broker.domain.integrations.integration_status import Status
from accord_broker.domain.integrations.overview import Placement, VersionLabel
from accord_broker.domain.matrix.page_chips import VersionChips
from accord_broker.ui.escaping import escaped_query, escaped_segment, escaped_text
from accord_broker.ui.fragments import (
    placements,
    result_pill,
    status_pill,
    version_chips,
    version_label,
    when,
)
from accord_broker.ui.paging import pager
from accord_broker.web.links import segment
from jinja2.filters import do_urlencode
from markupsafe import escape


def test_a_status_pill_names_the_status_for_people_and_for_scripts() -> None:
    assert status_pill(Status.FAILED_PENDING) == (
        '<span class="pill status-failed_pending" data-status="failed_pending">'
        "failed (pending)</span>"
    )


def test_a_result_pill_says_verified_failed_or_not_verified() -> None:
    assert "status-success" in result_pill(True)
    assert "status-failed" in result_pill(False)
    assert "not verified" in result_pill(None)


def test_a_version_label_lists_its_branches_then_its_tags_escaped() -> None:
    label = VersionLabel("1.0<b>", branches=("main", "feat/<x>"), tags=("prod&",))

    assert version_label(label) == (
        '<span class="version">1.0&lt;b&gt;</span>'
        ' <span class="chip branch" title="branch">main</span>'
        ' <span class="chip branch" title="branch">feat/&lt;x&gt;</span>'
        ' <span class="chip tag" title="tag">prod&amp;</span>'
    )


def test_a_missing_version_or_time_shows_a_dash() -> None:
    assert version_label(None) == when(None) == '<span class="muted">—</span>'


def test_a_time_shows_its_age_with_the_exact_instant_as_title() -> None:
    then = datetime.now(UTC) - timedelta(minutes=3, seconds=5)
    exact = then.replace(microsecond=0).isoformat()

    assert when(then) == f'<time datetime="{exact}" title="{exact}">3 minutes ago</time>'


def test_placements_mark_releases_and_escape_application_instances() -> None:
    chips = placements(
        [
            Placement("prod", "2.0"),
            Placement("prod", "1.9", released=True, application_instance='"a"'),
        ]
    )

    assert chips == (
        '<span class="chip env" title="deployed">2.0</span>'
        '<span class="chip env released" title="released (&#34;a&#34;)">1.9 · &#34;a&#34;</span>'
    )


def test_a_matrix_version_lists_its_branches_tags_and_environments_escaped() -> None:
    chips = VersionChips(
        branches=[("main", True), ("feat/<x>", False)], tags=["prod&"], environments=["<env>"]
    )

    assert version_chips(chips) == (
        ' <span class="chip branch" title="branch head">main</span>'
        ' <span class="chip branch" title="branch">feat/&lt;x&gt;</span>'
        ' <span class="chip tag" title="tag">prod&amp;</span>'
        ' <span class="chip env" title="environment">&lt;env&gt;</span>'
    )
    assert version_chips(None) == ""


def test_a_pager_shows_a_window_of_pages_and_keeps_the_query() -> None:
    html = pager("/ui/", 6, {"pageSize": 10, "search": "a&b", "label": None}, last=20)

    assert 'rel="prev" class="prev" href="/ui/?page=5&amp;pageSize=10&amp;search=a%26b"' in html
    numbers = re.findall(r">(\d+)<", html)
    assert numbers == ["1", "4", "5", "6", "7", "8", "20"]
    assert html.count("…") == 2
    assert pager("/ui/", 1, {}, last=1) == ""
    assert 'rel="next"' not in pager("/ui/x", 2, {}, has_next=False)


def test_remembered_escapes_are_the_escapes_autoescaping_and_urlencode_make() -> None:

    for value in ("we<b>&\"'/ b", "a/b c", "é ü", "plain", ""):
        for _ in range(2):  # the second answer is the remembered one
            assert escaped_text(value) == escape(value)
            assert escaped_segment(value) == escape(segment(value))
            assert escaped_query(value) == escape(do_urlencode(value))
