"""The scale benchmark asks every route of the app (issue #20, "Flat").

``benchmarks/broker_scale`` keeps a catalogue of questions, each naming the route it exercises
(``METHOD /template``), and a ``NOT_QUERIES`` table of the routes that change state, each with
the reason it is not asked. These tests build the app (no server, no seeding) and fail, naming
the route, when a route is in neither, or when the catalogue names a route the app lacks.
"""

import re
from pathlib import Path

import pytest
from accord_broker.app import create_app
from accord_broker.settings import Settings
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path

from benchmarks.broker_scale.catalogue import NOT_QUERIES, asked_routes, questions_for
from benchmarks.broker_scale.shape import Shape

CONVERTOR = re.compile(r"\{(\w+):\w+\}")
"""``{name:seg}`` in the app's templates is ``{name}`` in the catalogue's."""
SHAPES = (Shape.at(0.1), Shape.at(1))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    database = Path(tmp_path_factory.mktemp("catalogue")) / "broker.sqlite"
    return create_app(Settings(database_url=f"sqlite:///{database}"))


def _routes_in_order(app: FastAPI) -> list[tuple[str, str, str]]:
    """(method, template without convertors, template as registered), in matching order."""
    found = []
    for route in iter_route_contexts(app.routes):
        path = route.path
        assert path is not None
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append((method, CONVERTOR.sub(r"{\1}", path), path))
    return found


def _app_routes(app: FastAPI) -> set[str]:
    return {f"{method} {template}" for method, template, _ in _routes_in_order(app)}


def test_the_app_routes_are_listed_including_included_routers(app: FastAPI) -> None:
    routes = _app_routes(app)

    # a route of an included router, one of the UI's, and the diagnostics' (a failure here
    # means the listing misses routes, and the tests below would pass for nothing)
    assert "POST /pacts/provider/{provider}/for-verification" in routes
    assert "GET /ui/pacticipants/{name}" in routes
    assert "GET /diagnostic/status/dependencies" in routes
    assert "GET /metrics" in routes
    assert len(routes) > 100


def test_every_route_of_the_app_is_asked_or_excused(app: FastAPI) -> None:
    asked = set().union(*(asked_routes(shape) for shape in SHAPES))

    unasked = sorted(_app_routes(app) - asked - set(NOT_QUERIES))

    assert not unasked, (
        "routes the scale benchmark does not ask: add a question to "
        "benchmarks/broker_scale/catalogue*.py, or (for a write) a reason to NOT_QUERIES: "
        + ", ".join(unasked)
    )


def test_the_catalogue_names_only_routes_the_app_has(app: FastAPI) -> None:
    routes = _app_routes(app)

    unknown = sorted(asked_routes(Shape.at(1)) - routes)
    stale_excuses = sorted(set(NOT_QUERIES) - routes)

    assert not unknown, f"the catalogue asks routes the app does not have: {unknown}"
    assert not stale_excuses, f"NOT_QUERIES lists routes the app does not have: {stale_excuses}"


def test_no_route_is_both_asked_and_excused() -> None:
    both = sorted(asked_routes(Shape.at(1)) & set(NOT_QUERIES))

    assert not both, f"asked and in NOT_QUERIES: {both}"


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: f"scale {shape.scale}")
def test_each_question_reaches_the_route_it_names(app: FastAPI, shape: Shape) -> None:
    """The path asked is routed (first match, as the app tries its routes) to the template
    the question names, so a question cannot silently exercise another route."""
    routes = [
        (method, template, compile_path(registered)[0])
        for method, template, registered in _routes_in_order(app)
    ]
    for question in questions_for(shape):
        path = question.path().split("?", 1)[0]
        reached = next(
            (
                template
                for method, template, pattern in routes
                if method == question.method and pattern.match(path)
            ),
            None,
        )
        assert reached == question.template, (
            f"{question.name}: {question.method} {path} reaches {reached}, not {question.template}"
        )


def test_question_names_are_unique() -> None:
    names = [question.name for question in questions_for(Shape.at(1))]

    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
