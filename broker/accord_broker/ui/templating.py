"""The Jinja2 environment of the UI: autoescaping always on, and the filters the pages share.

Every value a page shows comes from users (pacticipant names, branch names, pact bodies), so
autoescaping is not optional here: templates never use ``|safe`` on data, and URLs are built
with :func:`segment` so a name cannot break out of its path segment.
"""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from accord_broker.domain.user_urls import renderable_url
from accord_broker.ui.fragments import FRAGMENTS, describe_age, iso_time
from accord_broker.ui.index_rows import integration_row, integration_rows
from accord_broker.ui.matrix_rows import matrix_rows
from accord_broker.ui.network_svg import arrows_svg, drawing, nodes_svg
from accord_broker.ui.pacticipant_list_rows import pacticipant_list_rows
from accord_broker.ui.pacticipant_rows import integration_rows as pacticipant_integration_rows
from accord_broker.ui.pacticipant_rows import version_rows
from accord_broker.ui.paging import pager
from accord_broker.ui.resident_rows import card_rows, resident_rows
from accord_broker.web.links import segment

TEMPLATES = Path(__file__).parent / "templates"


def make_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # templates ship with the package: no stat of every template file on every render
        auto_reload=False,
    )
    environment.filters["seg"] = segment
    environment.filters["ago"] = describe_age
    environment.filters["iso"] = iso_time
    # user-supplied URLs become links only when http/https (never ``javascript:``)
    environment.filters["http_url"] = renderable_url
    environment.globals.update(FRAGMENTS)
    environment.globals["pager"] = pager
    environment.globals["integration_row"] = integration_row
    environment.globals["integration_rows"] = integration_rows
    environment.globals["arrows_svg"] = arrows_svg
    environment.globals["nodes_svg"] = nodes_svg
    environment.globals["network_drawing"] = drawing
    environment.globals["matrix_rows"] = matrix_rows
    environment.globals["resident_rows"] = resident_rows
    environment.globals["card_rows"] = card_rows
    environment.globals["pacticipant_integration_rows"] = pacticipant_integration_rows
    environment.globals["version_rows"] = version_rows
    environment.globals["pacticipant_list_rows"] = pacticipant_list_rows
    return environment


TEMPLATE_ENVIRONMENT = make_environment()


def render(template: str, **context: Any) -> str:
    return TEMPLATE_ENVIRONMENT.get_template(template).render(**context)
