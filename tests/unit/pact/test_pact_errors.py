"""Malformed pacts raise PactFormatError naming the file, the JSON path and what was expected."""

import json
from pathlib import Path
from typing import Any

import pytest

from accord.errors import AccordError, PactFormatError
from accord.pact import load_pact, parse_pact


def _pact(interactions: list[Any], version: str = "3.0.0") -> dict[str, Any]:
    return {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": version}},
    }


def _http(**parts: Any) -> dict[str, Any]:
    interaction: dict[str, Any] = {
        "description": "d",
        "request": {"method": "GET", "path": "/"},
        "response": {"status": 200},
    }
    for name, value in parts.items():
        section, _, key = name.partition("__")
        interaction[section][key] = value
    return interaction


def _error(document: object) -> PactFormatError:
    with pytest.raises(PactFormatError) as caught:
        parse_pact(document, source="pacts/web-api.json")
    return caught.value


@pytest.mark.parametrize(
    ("document", "path", "expected"),
    [
        ([], "", "a pact"),
        ({"provider": {"name": "p"}}, "consumer", "the consumer"),
        ({"consumer": {"name": 3}, "provider": {"name": "p"}}, "consumer.name", "a string"),
        ({"consumer": {"name": ""}, "provider": {"name": "p"}}, "consumer.name", "non-empty"),
        (
            {**_pact([]), "metadata": {"pactSpecification": {"version": "9.0"}}},
            "metadata.pactSpecification.version",
            "accord reads V1 to V4",
        ),
        ({**_pact([]), "interactions": {}}, "interactions", "an array of interactions"),
        (_pact([{"request": {}, "response": {}}]), "interactions[0].description", "description"),
        (_pact([_http(request__method=1)]), "interactions[0].request.method", "HTTP method"),
        (_pact([_http(response__status="200")]), "interactions[0].response.status", "status"),
        (_pact([_http(response__status=True)]), "interactions[0].response.status", "integer"),
        (_pact([_http(request__query=[1])]), "interactions[0].request.query", "query string"),
        (
            _pact([_http(request__query={"a": [1]})]),
            "interactions[0].request.query.a[0]",
            "a string or null",
        ),
        (
            _pact([_http(request__headers={"Accept": 5})]),
            "interactions[0].request.headers.Accept",
            "header value",
        ),
        (
            _pact([_http(response__matchingRules=[])]),
            "interactions[0].response.matchingRules",
            "matching rules",
        ),
        (
            _pact([_http(response__matchingRules={"body": 7})]),
            "interactions[0].response.matchingRules.body",
            "rules",
        ),
        (
            _pact([_http(request__generators={"body": {"$.a": {"min": 1}}})]),
            "interactions[0].request.generators.body['$.a'].type",
            "generator type",
        ),
        (
            _pact([{**_http(), "providerStates": [{"params": {}}]}]),
            "interactions[0].providerStates[0].name",
            "name",
        ),
        (
            _pact([{**_http(), "providerStates": [{"name": "s", "params": [1]}]}]),
            "interactions[0].providerStates[0].params",
            "an object of parameters",
        ),
        (_pact([{**_http(), "pending": "yes"}]), "interactions[0].pending", "true or false"),
        (
            _pact([{**_http(), "type": 4}], version="4.0"),
            "interactions[0].type",
            "an interaction type",
        ),
        (
            _pact(
                [_http(response__body={"content": "x", "encoded": "gzip"})],
                version="4.0",
            ),
            "interactions[0].response.body.encoded",
            '"base64"',
        ),
        (
            _pact(
                [_http(response__body={"content": "{", "encoded": "JSON"})],
                version="4.0",
            ),
            "interactions[0].response.body.content",
            "valid JSON text",
        ),
        (
            {**_pact([]), "messages": [{"description": "m", "metaData": "json"}]},
            "messages[0].metaData",
            "message metadata",
        ),
    ],
)
def test_a_malformed_pact_names_the_file_the_path_and_the_expectation(
    document: object, path: str, expected: str
) -> None:
    error = _error(document)
    assert error.source == "pacts/web-api.json"
    assert error.path == path
    assert expected in error.expected
    message = str(error)
    assert message.startswith("pacts/web-api.json")
    assert path in message
    assert expected in message


def test_the_error_says_what_was_found() -> None:
    error = _error(_pact([_http(response__status="200")]))
    assert error.found == 'the string "200"'
    assert "found the string" in str(error)


def test_keys_that_are_not_plain_names_are_quoted_in_the_path() -> None:
    document = _pact([_http(request__headers={"X Weird": 5})])
    assert _error(document).path == "interactions[0].request.headers['X Weird']"


def test_a_pact_format_error_is_an_accord_error_with_a_usage_exit_code() -> None:
    error = _error({})
    assert isinstance(error, AccordError)
    assert error.exit_code == 2


def test_loading_a_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(PactFormatError) as caught:
        load_pact(missing)
    assert caught.value.source == str(missing)
    assert "readable pact file" in str(caught.value)


def test_loading_invalid_json_names_the_file_and_the_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "consumer": {"name": "c"},\n  oops\n}\n', encoding="utf-8")
    with pytest.raises(PactFormatError) as caught:
        load_pact(broken)
    assert caught.value.source == str(broken)
    assert caught.value.path == "line 3 column 3"
    assert "valid JSON" in str(caught.value)


def test_loading_a_file_that_is_not_utf8_says_so(tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"consumer": {"name": "caf\xe9"}}')
    with pytest.raises(PactFormatError, match="UTF-8"):
        load_pact(latin)


def test_errors_inside_a_loaded_file_name_that_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_pact([_http(response__status="200")])), encoding="utf-8")
    with pytest.raises(PactFormatError) as caught:
        load_pact(path)
    assert str(caught.value).startswith(f"{path}: interactions[0].response.status")


def test_a_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_pact([_http()])).encode())
    assert len(load_pact(path).interactions) == 1


def test_absurdly_deep_nesting_is_a_format_error_not_a_crash() -> None:
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(PactFormatError, match="nested"):
        parse_pact(_pact([_http(response__body=deep)]))
