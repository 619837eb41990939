"""Compatibility suite: verifying HTTP providers (V1-V4 ``http_provider.feature``).

Each scenario writes real pact files (in its feature's specification version) or publishes them
to a real accord broker, runs accord's verifier against a real provider on 127.0.0.1 and reads
the verdict from what accord reports: the typed results, the console report and, for broker
scenarios, the verification results the broker recorded. Provider states go through a real
state-change endpoint that logs every call in order with the replayed requests.
"""

import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import accord_broker
import pytest
from http_provider_steps import (
    SPEC_KEY,
    STATE_CHANGE_PATH,
    FeatureVersion,
    PactOptions,
    Provider,
    Run,
    StateCall,
    changed_row,
    interaction_json,
    latest_verification,
    pact_file,
    pact_json,
    provider_app,
    publish_pact,
)
from pytest_bdd import given, parsers, scenarios, then, when
from suite import HttpRow, feature, headers_from_cell, http_rows, table_rows

from accord.testing import ServerHandle, serve_app
from accord.verifier import ReplayRequest, VerifierConfig, run_verification

scenarios(feature("V1/http_provider.feature"))
scenarios(feature("V2/http_provider.feature"))
scenarios(feature("V3/http_provider.feature"))
scenarios(feature("V4/http_provider.feature"))

# The reference verifier's words for each kind of mismatch, and the part of the interaction each
# is about in accord's results (``Mismatch.attribute``, the Pact Broker's name for it).
_MISMATCH_ATTRIBUTES = {
    "Response status did not match": "status",
    "Headers had differences": "header",
    "Body had differences": "body",
}
_STATE_CHANGE_FAILED = "State change request failed"
_CONSUMER_VERSION = "1.0.0"
_PROVIDER_VERSION = "2.0.0"


@pytest.fixture(scope="module", autouse=True)
def _feature_version(pytestconfig: pytest.Config) -> Iterator[None]:
    plugin = FeatureVersion()
    pytestconfig.pluginmanager.register(plugin)
    yield
    pytestconfig.pluginmanager.unregister(plugin)


@pytest.fixture(scope="module")
def provider_server() -> Iterator[tuple[Provider, ServerHandle]]:
    provider = Provider()
    with serve_app(provider_app(provider)) as handle:
        yield provider, handle


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """A real accord broker on a SQLite file, shared by the module (each scenario verifies its
    own provider name, so they do not see each other's pacts)."""
    path = tmp_path_factory.mktemp("broker") / "broker.sqlite"
    settings = accord_broker.Settings(database_url=f"sqlite:///{path}")
    with serve_app(accord_broker.create_app(settings)) as handle:
        yield handle


@pytest.fixture
def provider(provider_server: tuple[Provider, ServerHandle]) -> Provider:
    provider_server[0].reset()
    return provider_server[0]


@pytest.fixture
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Run:
    spec = request.node.stash[SPEC_KEY]
    return Run(spec=spec, provider_name=f"p-{request.node.name[-60:]}", directory=tmp_path)


def _consumer(number: int) -> str:
    return f"c{number}"


# --- given ------------------------------------------------------------------------------------


@given(
    "the following HTTP interactions have been defined:",
    target_fixture="interactions",
)
def defined_interactions(datatable: Sequence[Sequence[str]]) -> dict[int, HttpRow]:
    return http_rows(datatable)


@given(parsers.parse("a provider is started that returns the response from interaction {number:d}"))
def provider_returns(interactions: dict[int, HttpRow], provider: Provider, number: int) -> None:
    provider.serve(interactions[number])


@given(
    parsers.parse('a provider is started that returns the responses from interactions "{numbers}"')
)
def provider_returns_several(
    interactions: dict[int, HttpRow], provider: Provider, numbers: str
) -> None:
    for number in numbers.split(","):
        provider.serve(interactions[int(number)])


@given(
    parsers.parse(
        "a provider is started that returns the response from interaction {number:d}, "
        "with the following changes:"
    )
)
def provider_returns_changed(
    interactions: dict[int, HttpRow],
    provider: Provider,
    number: int,
    datatable: Sequence[Sequence[str]],
) -> None:
    [changes] = table_rows(datatable)
    provider.serve(changed_row(interactions[number], {k.strip(): v for k, v in changes.items()}))


def _add_pact(
    run: Run, interactions: dict[int, HttpRow], number: int, options: PactOptions
) -> None:
    document = pact_json(
        _consumer(number),
        run.provider_name,
        [interaction_json(interactions[number], run.spec, options)],
        run.spec,
    )
    run.files.append(pact_file(run.directory, document))


@given(parsers.parse("a Pact file for interaction {number:d} is to be verified"))
def pact_for(run: Run, interactions: dict[int, HttpRow], number: int) -> None:
    _add_pact(run, interactions, number, PactOptions())


@given(parsers.parse("a Pact file for interaction {number:d} is to be verified from a Pact broker"))
def pact_in_broker(
    run: Run, interactions: dict[int, HttpRow], number: int, broker: ServerHandle
) -> None:
    row = interactions[number]
    document = pact_json(
        _consumer(number),
        run.provider_name,
        [interaction_json(row, run.spec, PactOptions())],
        run.spec,
    )
    publish_pact(broker.url, document, _CONSUMER_VERSION)
    run.broker_url = broker.url
    run.broker_consumers.append(_consumer(number))


@given(
    parsers.parse(
        'a Pact file for interaction {number:d} is to be verified with a provider state "{state}" '
        "defined"
    )
)
def pact_with_state(run: Run, interactions: dict[int, HttpRow], number: int, state: str) -> None:
    _add_pact(run, interactions, number, PactOptions(states=[(state, {})]))


@given(
    parsers.parse(
        "a Pact file for interaction {number:d} is to be verified with the following provider "
        "states defined:"
    )
)
def pact_with_states(
    run: Run, interactions: dict[int, HttpRow], number: int, datatable: Sequence[Sequence[str]]
) -> None:
    states = [
        (row["State Name"].strip(), json.loads(row.get("Parameters", "").strip() or "{}"))
        for row in table_rows(datatable)
    ]
    _add_pact(run, interactions, number, PactOptions(states=states))


@given(
    parsers.parse("a Pact file for interaction {number:d} is to be verified, but is marked pending")
)
def pending_pact(run: Run, interactions: dict[int, HttpRow], number: int) -> None:
    _add_pact(run, interactions, number, PactOptions(pending=True))


@given(
    parsers.parse(
        "a Pact file for interaction {number:d} is to be verified with the following comments:"
    )
)
def pact_with_comments(
    run: Run, interactions: dict[int, HttpRow], number: int, datatable: Sequence[Sequence[str]]
) -> None:
    comments: dict[str, Any] = {}
    for row in table_rows(datatable):
        text, kind = row["comment"].strip(), row["type"].strip()
        if kind == "testname":
            comments["testname"] = text
        else:
            comments.setdefault("text", []).append(text)
    _add_pact(run, interactions, number, PactOptions(comments=comments))


@given("a provider state callback is configured")
def state_callback(run: Run, provider_server: tuple[Provider, ServerHandle]) -> None:
    run.state_change_url = provider_server[1].url + STATE_CHANGE_PATH


@given("a provider state callback is configured, but will return a failure")
def failing_state_callback(
    run: Run, provider: Provider, provider_server: tuple[Provider, ServerHandle]
) -> None:
    provider.state_change_fails = True
    run.state_change_url = provider_server[1].url + STATE_CHANGE_PATH


@given("publishing of verification results is enabled")
def publishing_enabled(run: Run) -> None:
    run.publish = True


@given("a request filter is configured to make the following changes:")
def request_filter(run: Run, datatable: Sequence[Sequence[str]]) -> None:
    [changes] = table_rows(datatable)
    run.extra_headers.update(headers_from_cell(changes["headers"]))


# --- when -------------------------------------------------------------------------------------


@when("the verification is run")
def verification_is_run(run: Run, provider_server: tuple[Provider, ServerHandle]) -> None:
    headers = dict(run.extra_headers)

    def add_headers(request: ReplayRequest) -> ReplayRequest:
        return replace(request, headers={**request.headers, **headers})

    console = io.StringIO()
    config = VerifierConfig(
        files=list(run.files),
        broker_url=run.broker_url,
        provider_name=run.provider_name if run.broker_url else None,
        provider_base_url=provider_server[1].url,
        state_change_url=run.state_change_url,
        state_change_teardown=True,
        request_filter=add_headers if headers else None,
        publish=run.publish,
        provider_version=_PROVIDER_VERSION if run.publish else None,
        retries=0,
        output=console,
    )
    run.result = run_verification(config)
    run.console = console.getvalue()


# --- then: the verdict ------------------------------------------------------------------------


@then("the verification will be successful")
def verification_successful(run: Run) -> None:
    result = run.outcome()
    assert result.interactions, "nothing was verified"
    assert result.success, run.console


@then("the verification will NOT be successful")
def verification_failed(run: Run) -> None:
    result = run.outcome()
    assert not result.success, run.console
    assert result.exit_code == 1


def _mismatch_attribute(error: str) -> str:
    if error not in _MISMATCH_ATTRIBUTES:
        raise AssertionError(f"no mapping for the reference verifier's error {error!r}")
    return _MISMATCH_ATTRIBUTES[error]


@then(parsers.parse('the verification results will contain a "{error}" error'))
def results_contain_error(run: Run, error: str) -> None:
    failures = run.outcome().failures
    assert failures, run.console
    if error == _STATE_CHANGE_FAILED:
        # accord words it "state change setup of 'STATE': URL answered HTTP 500: ..."
        messages = [failure.error or "" for failure in failures]
        assert any(
            "state change setup" in message and "HTTP 500" in message for message in messages
        ), messages
        return
    attribute = _mismatch_attribute(error)
    found = [m for failure in failures for m in failure.mismatches if m.attribute == attribute]
    assert found, f"no {attribute} mismatch in {run.console}"
    assert all(m.expected != m.actual for m in found), found


@then(parsers.parse('there will be a pending "{error}" error'))
def pending_error(run: Run, error: str) -> None:
    attribute = _mismatch_attribute(error)
    pending = run.outcome().pending_failures
    assert any(m.attribute == attribute for p in pending for m in p.mismatches), run.console
    assert "Pending failures (not fatal):" in run.console


# --- then: provider states --------------------------------------------------------------------


def _state_calls(provider: Provider, action: str) -> list[StateCall]:
    return [call for call in provider.state_calls if call.action == action]


@then("the provider state callback will be called before the verification is run")
def state_called_before(provider: Provider) -> None:
    events = provider.events
    setups = [i for i, event in enumerate(events) if isinstance(event, StateCall)]
    assert _state_calls(provider, "setup"), events
    requests = [i for i, event in enumerate(events) if not isinstance(event, StateCall)]
    assert not requests or min(setups) < min(requests), events


@then("the provider state callback will be called after the verification is run")
def state_called_after(provider: Provider) -> None:
    events = provider.events
    teardowns = [
        i
        for i, event in enumerate(events)
        if isinstance(event, StateCall) and event.action == "teardown"
    ]
    requests = [i for i, event in enumerate(events) if not isinstance(event, StateCall)]
    assert teardowns and requests and min(teardowns) > max(requests), events


@then(
    parsers.re(
        r'the provider state callback will receive a (?P<action>setup) call with "(?P<state>[^"]*)"'
        r" as the provider state parameter"
    )
)
@then(
    parsers.re(
        r'the provider state callback will receive a (?P<action>teardown) call "(?P<state>[^"]*)"'
        r" as the provider state parameter"
    )
)
def state_call_received(provider: Provider, action: str, state: str) -> None:
    calls = _state_calls(provider, action)
    assert [call.state for call in calls if call.state == state], calls


@then(
    parsers.re(
        r'the provider state callback will receive a (?P<action>setup) call with "(?P<state>[^"]*)"'
        r" and the following parameters:"
    )
)
@then(
    parsers.re(
        r'the provider state callback will receive a (?P<action>teardown) call "(?P<state>[^"]*)"'
        r" and the following parameters:"
    )
)
def state_call_with_params(
    provider: Provider, action: str, state: str, datatable: Sequence[Sequence[str]]
) -> None:
    [row] = table_rows(datatable)
    params = {name.strip(): json.loads(value) for name, value in row.items()}
    calls = _state_calls(provider, action)
    assert any(call.state == state and call.params == params for call in calls), calls


@then("the provider state callback will NOT receive a teardown call")
def no_teardown(provider: Provider) -> None:
    assert provider.state_calls, "the state callback was never called"
    assert not _state_calls(provider, "teardown"), provider.state_calls


@then(
    parsers.parse(
        "a warning will be displayed that there was no provider state callback configured for "
        'provider state "{state}"'
    )
)
def missing_state_warning(run: Run, state: str) -> None:
    warnings = [w for result in run.outcome().interactions for w in result.warnings]
    assert any(repr(state) in warning or f'"{state}"' in warning for warning in warnings), warnings
    assert any(state in line and "warning" in line.lower() for line in run.console.splitlines())


# --- then: request filter, comments -----------------------------------------------------------


@then(parsers.parse('the request to the provider will contain the header "{header}"'))
def request_has_header(provider: Provider, header: str) -> None:
    [(name, value)] = headers_from_cell(header)
    assert provider.requests, "the provider got no request"
    assert all(r.headers.get(name.lower()) == value for r in provider.requests), provider.requests


@then(parsers.parse('the comment "{comment}" will have been printed to the console'))
def comment_printed(run: Run, comment: str) -> None:
    assert f"comment: {comment}" in [line.strip() for line in run.console.splitlines()]
    assert comment in run.outcome().interactions[0].comments


@then(parsers.parse('the "{name}" will displayed as the original test name'))
def original_test_name_printed(run: Run, name: str) -> None:
    assert f"test name: {name}" in [line.strip() for line in run.console.splitlines()]
    assert run.outcome().interactions[0].test_name == name


# --- then: the broker -------------------------------------------------------------------------


@then("a verification result will NOT be published back")
def nothing_published(run: Run) -> None:
    assert run.broker_url is not None
    assert not run.outcome().publications
    for consumer in run.broker_consumers:
        stored = latest_verification(run.broker_url, run.provider_name, consumer, _CONSUMER_VERSION)
        assert stored is None, stored


@then(
    parsers.re(
        r"a (?P<verdict>successful|failed) verification result will be published back for "
        r"(the )?interaction \{(?P<number>\d+)\}"
    )
)
def result_published(run: Run, verdict: str, number: str) -> None:
    assert run.broker_url is not None
    published = [p for p in run.outcome().publications if p.published]
    assert published, run.outcome().publications
    stored = latest_verification(
        run.broker_url, run.provider_name, _consumer(int(number)), _CONSUMER_VERSION
    )
    assert stored is not None, f"the broker has no result for interaction {number}"
    assert stored["success"] is (verdict == "successful"), stored
    assert stored["providerApplicationVersion"] == _PROVIDER_VERSION
