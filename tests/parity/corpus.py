"""A parity corpus: the rule forms real Pact clients write, each with right and wrong providers.

Every :class:`Case` is one expectation (written with pact-python's DSL, as a Python consumer
writes it, or as raw pact JSON in the exact form another client writes) and the answers of
several providers: ``correct`` and every ``benign/...`` variation must pass, every
``broken/...`` one must fail. :func:`write_corpus` turns the cases into pact files, one
interaction per (case, variant), and :func:`answers` tells the provider in
``tests/parity/provider.py`` what to send back for each; ``tests/parity/test_corpus_parity.py``
verifies the files with accord and with the reference ``pact verifier`` and compares verdicts.

To grow it, add a case below (``python -m tests.parity.corpus DIR`` writes the files for a
look). Keep one variant per fault, named after what it changes.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JSON = "application/json"
XML = "application/xml"


@dataclass(frozen=True)
class Answer:
    """What one provider variant sends back (an HTTP response, or a message's contents)."""

    body: bytes
    content_type: str | None = JSON
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)


def json_answer(value: Any, **headers: str) -> Answer:
    return Answer(json.dumps(value).encode("utf-8"), JSON, headers=headers)


def xml_answer(text: str) -> Answer:
    return Answer(text.encode("utf-8"), XML)


@dataclass(frozen=True)
class Case:
    """One expectation and the providers it is tried against.

    ``dsl`` builds the response with pact-python (it gets the interaction after
    ``with_request``); ``response`` is raw pact JSON for the response (``spec`` says which
    version of the format); ``message`` is a raw V4 asynchronous message's ``contents`` and
    ``matchingRules``.
    """

    name: str
    form: str
    answers: Mapping[str, Answer]
    dsl: Callable[[Any], None] | None = None
    response: Mapping[str, Any] | None = None
    message: Mapping[str, Any] | None = None
    spec: str = "V4"

    def descriptions(self) -> dict[str, str]:
        return {variant: f"{self.name} | {variant}" for variant in self.answers}


def expected_to_pass(description: str) -> bool:
    return not description.split(" | ", 1)[1].startswith("broken")


# --- cases written with pact-python's DSL --------------------------------------------------


def _json_body(build: Callable[[], Any]) -> Callable[[Any], None]:
    def define(interaction: Any) -> None:
        interaction.will_respond_with(200).with_body(build(), content_type=JSON)

    return define


def _xml_body(build: Callable[[], Any]) -> Callable[[Any], None]:
    def define(interaction: Any) -> None:
        interaction.will_respond_with(200).with_body(build(), content_type=XML)

    return define


def _dsl_cases() -> list[Case]:
    from pact import match, xml

    def header_rule(interaction: Any) -> None:
        interaction.will_respond_with(200).with_header(
            "X-Request-Id", match.regex("deadbeef", regex=r"^[0-9a-f]{8}$")
        )

    def dates(pattern: str, example: str) -> Callable[[Any], None]:
        return _json_body(
            lambda: {"at": match.datetime(example, format=pattern, disable_conversion=True)}
        )

    return [
        Case(
            "like",
            "pact-python match.like",
            {
                "correct": json_answer({"name": "bob"}),
                "benign/extra-key": json_answer({"name": "bob", "nick": "b"}),
                "broken/type": json_answer({"name": 7}),
            },
            dsl=_json_body(lambda: {"name": match.like("alice")}),
        ),
        Case(
            "each_like min 2",
            "pact-python match.each_like(min=)",
            {
                "correct": json_answer({"items": [{"id": 1}, {"id": 2}]}),
                "benign/more-items": json_answer({"items": [{"id": 1}, {"id": 2}, {"id": 3}]}),
                "broken/fewer-than-min": json_answer({"items": [{"id": 1}]}),
                "broken/item-type": json_answer({"items": [{"id": 1}, {"id": "2"}]}),
            },
            dsl=_json_body(lambda: {"items": match.each_like({"id": match.integer(1)}, min=2)}),
        ),
        Case(
            "each_like max 2",
            "pact-python match.each_like(max=)",
            {
                "correct": json_answer({"tags": ["x"]}),
                "broken/more-than-max": json_answer({"tags": ["a", "b", "c"]}),
            },
            dsl=_json_body(lambda: {"tags": match.each_like("a", max=2)}),
        ),
        Case(
            "regex",
            "pact-python match.regex",
            {
                "correct": json_answer({"code": "ZZ-99"}),
                "broken/no-match": json_answer({"code": "zz99"}),
            },
            dsl=_json_body(lambda: {"code": match.regex("AB-12", regex=r"^[A-Z]{2}-\d+$")}),
        ),
        Case(
            "numbers and booleans",
            "pact-python match.integer/decimal/number/boolean",
            {
                "correct": json_answer({"i": 5, "d": 2.25, "n": 3.5, "b": False}),
                "broken/integer-is-float": json_answer({"i": 5.5, "d": 2.25, "n": 3, "b": True}),
                # the specification's boolean matcher takes the strings "true" and "false" too
                "benign/boolean-as-string": json_answer({"i": 5, "d": 2.5, "n": 3, "b": "true"}),
                "broken/boolean-is-number": json_answer({"i": 5, "d": 2.5, "n": 3, "b": 1}),
                "broken/number-is-string": json_answer({"i": 5, "d": 2.5, "n": "3", "b": True}),
            },
            dsl=_json_body(
                lambda: {
                    "i": match.integer(1),
                    "d": match.decimal(1.5),
                    "n": match.number(2),
                    "b": match.boolean(True),
                }
            ),
        ),
        Case(
            "includes",
            "pact-python match.includes",
            {
                "correct": json_answer({"greeting": "yellow"}),
                "broken/missing-substring": json_answer({"greeting": "hi"}),
            },
            dsl=_json_body(lambda: {"greeting": match.includes("lo")}),
        ),
        Case(
            "date %Y-%m-%d",
            "pact-python match.date with a Python format",
            {
                "correct": json_answer({"on": "2026-02-28"}),
                "broken/other-order": json_answer({"on": "28/02/2026"}),
            },
            dsl=_json_body(lambda: {"on": match.date("2026-12-07", format="%Y-%m-%d")}),
        ),
        Case(
            "time %H:%M:%S",
            "pact-python match.time with a Python format",
            {
                "correct": json_answer({"at": "23:59:59"}),
                "broken/hour-25": json_answer({"at": "25:00:00"}),
            },
            dsl=_json_body(lambda: {"at": match.time("10:00:00", format="%H:%M:%S")}),
        ),
        Case(
            "datetime XXX",
            "date format zone letters: XXX",
            {
                "correct": json_answer({"at": "2026-12-07T10:00:00+01:00"}),
                "benign/utc-as-Z": json_answer({"at": "2026-12-07T10:00:00Z"}),
                "broken/no-zone": json_answer({"at": "2026-12-07T10:00:00"}),
                "broken/offset-without-colon": json_answer({"at": "2026-12-07T10:00:00+0100"}),
            },
            dsl=dates("yyyy-MM-dd'T'HH:mm:ssXXX", "2026-12-07T10:00:00+01:00"),
        ),
        Case(
            "datetime Z",
            "date format zone letters: Z",
            {
                "correct": json_answer({"at": "2026-12-07T10:00:00+0000"}),
                "broken/utc-as-Z": json_answer({"at": "2026-12-07T10:00:00Z"}),
                "broken/offset-with-colon": json_answer({"at": "2026-12-07T10:00:00+00:00"}),
            },
            dsl=dates("yyyy-MM-dd'T'HH:mm:ssZ", "2026-12-07T10:00:00+0000"),
        ),
        Case(
            "datetime SSSX",
            "fractional seconds and the X zone letter",
            {
                "correct": json_answer({"at": "2026-12-07T10:00:00.123Z"}),
                "benign/hour-offset": json_answer({"at": "2026-12-07T10:00:00.123+01"}),
                "broken/two-digit-fraction": json_answer({"at": "2026-12-07T10:00:00.12Z"}),
            },
            dsl=dates("yyyy-MM-dd'T'HH:mm:ss.SSSX", "2026-12-07T10:00:00.000Z"),
        ),
        Case(
            "time hh:mm a",
            "12-hour clock with a",
            {
                "correct": json_answer({"at": "09:30 PM"}),
                "broken/hour-21": json_answer({"at": "21:30 PM"}),
            },
            dsl=_json_body(
                lambda: {"at": match.time("09:30 AM", format="hh:mm a", disable_conversion=True)}
            ),
        ),
        Case(
            "each_key_matches",
            "pact-python match.each_key_matches (eachKey with nested rules)",
            {
                "correct": json_answer({"labels": {"fr": "Bonjour", "de": "Hallo"}}),
                "broken/key-shape": json_answer({"labels": {"EN": "Hello"}}),
            },
            dsl=_json_body(
                lambda: {
                    "labels": match.each_key_matches(
                        {"en": "Hello"}, rules=match.regex("en", regex=r"^[a-z]{2}$")
                    )
                }
            ),
        ),
        Case(
            "each_value_matches",
            "pact-python match.each_value_matches (eachValue with nested rules)",
            {
                "correct": json_answer({"prices": {"tea": 5, "cake": 6}}),
                "broken/value-type": json_answer({"prices": {"tea": "5"}}),
            },
            dsl=_json_body(
                lambda: {"prices": match.each_value_matches({"tea": 1}, rules=match.integer(1))}
            ),
        ),
        Case(
            "array_containing",
            "pact-python match.array_containing",
            {
                "correct": json_answer({"events": [{"type": "updated"}, {"type": "created"}]}),
                "broken/variant-missing": json_answer({"events": [{"type": "updated"}]}),
            },
            dsl=_json_body(lambda: {"events": match.array_containing([{"type": "created"}])}),
        ),
        Case(
            "header regex",
            "pact-python header matcher",
            {
                "correct": Answer(b"", None, headers={"X-Request-Id": "0badf00d"}),
                "broken/no-match": Answer(b"", None, headers={"X-Request-Id": "xyz"}),
            },
            dsl=header_rule,
        ),
        Case(
            "xml element and attribute",
            "pact-python xml: element text and attribute matchers",
            {
                "correct": xml_answer('<user type="guest"><id>7</id><name>Bob</name></user>'),
                "benign/extra-element": xml_answer(
                    '<user type="guest"><id>7</id><name>Bob</name><email>b@x</email></user>'
                ),
                "benign/extra-attribute": xml_answer(
                    '<user type="guest" lang="en"><id>7</id><name>Bob</name></user>'
                ),
                "broken/text-not-integer": xml_answer(
                    '<user type="guest"><id>seven</id><name>Bob</name></user>'
                ),
                "broken/missing-element": xml_answer('<user type="guest"><id>7</id></user>'),
            },
            dsl=_xml_body(
                lambda: xml.body(
                    xml.element(
                        "user",
                        xml.element("id", match.int(1)),
                        xml.element("name", match.str("Alice")),
                        attrs={"type": match.str("admin")},
                    )
                )
            ),
        ),
        Case(
            "xml repeated element min 2",
            "pact-python xml: .each(min=2)",
            {
                "correct": xml_answer(
                    "<users><user><id>1</id></user><user><id>2</id></user></users>"
                ),
                "benign/three-users": xml_answer(
                    "<users><user><id>1</id></user><user><id>2</id></user>"
                    "<user><id>3</id></user></users>"
                ),
                "broken/one-user": xml_answer("<users><user><id>1</id></user></users>"),
            },
            dsl=_xml_body(
                lambda: xml.body(
                    xml.element(
                        "users", xml.element("user", xml.element("id", match.int(1))).each(min=2)
                    )
                )
            ),
        ),
        Case(
            "xml namespaces",
            "pact-python xml: namespaced elements",
            {
                "correct": xml_answer(
                    '<ns1:project xmlns:ns1="http://example.com/p"><ns1:name>y</ns1:name>'
                    "</ns1:project>"
                ),
                "benign/other-prefix": xml_answer(
                    '<p:project xmlns:p="http://example.com/p"><p:name>y</p:name></p:project>'
                ),
                "broken/other-namespace": xml_answer(
                    '<ns1:project xmlns:ns1="http://example.com/q"><ns1:name>y</ns1:name>'
                    "</ns1:project>"
                ),
            },
            dsl=_xml_body(
                lambda: xml.body(
                    xml.element(
                        "ns1:project",
                        xml.element("ns1:name", match.str("x")),
                        attrs={"xmlns:ns1": "http://example.com/p"},
                    )
                )
            ),
        ),
    ]


# --- cases in the raw forms other clients write ---------------------------------------------

_USER_XML = '<user type="admin"><id>1</id></user>'


def _raw_cases() -> list[Case]:
    return [
        Case(
            "v2 quoted header and body names",
            "V2 rule paths with quoted names ($.headers['se-token'], $.body['odd.key'])",
            {
                "correct": json_answer({"odd.key": "B-2"}, **{"se-token": "tok-999"}),
                "broken/header-value": json_answer({"odd.key": "B-2"}, **{"se-token": "nope"}),
                "broken/body-value": json_answer({"odd.key": "b2"}, **{"se-token": "tok-1"}),
            },
            response={
                "status": 200,
                "headers": {"se-token": "tok-1", "Content-Type": JSON},
                "body": {"odd.key": "A-1"},
                "matchingRules": {
                    "$.headers['se-token']": {"match": "regex", "regex": "^tok-\\d+$"},
                    "$.headers.Content-Type": {"match": "regex", "regex": "application/json.*"},
                    "$.body['odd.key']": {"match": "regex", "regex": "^[A-Z]-\\d$"},
                },
            },
            spec="V2",
        ),
        Case(
            "v3 xml text node and attribute paths",
            "XML rule paths $.user.id.#text and $.user['@type'] (pact-jvm)",
            {
                "correct": xml_answer('<user type="guest"><id>42</id></user>'),
                "benign/extra-attribute": xml_answer('<user type="g" lang="en"><id>4</id></user>'),
                "broken/text-not-integer": xml_answer('<user type="guest"><id>x</id></user>'),
                "broken/attribute-missing": xml_answer("<user><id>42</id></user>"),
            },
            response={
                "status": 200,
                "headers": {"Content-Type": XML},
                "body": _USER_XML,
                "matchingRules": {
                    "body": {
                        "$.user.id.#text": {"matchers": [{"match": "integer"}]},
                        "$.user['@type']": {"matchers": [{"match": "type"}]},
                    }
                },
            },
            spec="V3",
        ),
        Case(
            "v4 xml attribute path with @",
            "XML rule path $.user.@type",
            {
                "correct": xml_answer('<user type="guest"><id>1</id></user>'),
                "broken/attribute-shape": xml_answer('<user type="Guest1"><id>1</id></user>'),
            },
            response={
                "status": 200,
                "headers": {"Content-Type": [XML]},
                "body": {"content": _USER_XML, "contentType": XML, "encoded": False},
                "matchingRules": {
                    "body": {
                        "$.user.@type": {
                            "combine": "AND",
                            "matchers": [{"match": "regex", "regex": "^[a-z]+$"}],
                        }
                    }
                },
            },
        ),
        Case(
            "v3 xml repeated element with min",
            "XML rule $.users.user with type + min (pact-jvm)",
            {
                "correct": xml_answer("<users><user>a</user><user>b</user></users>"),
                "benign/more": xml_answer(
                    "<users><user>a</user><user>b</user><user>c</user></users>"
                ),
                "broken/fewer-than-min": xml_answer("<users><user>a</user></users>"),
            },
            response={
                "status": 200,
                "headers": {"Content-Type": XML},
                "body": "<users><user>a</user><user>b</user></users>",
                "matchingRules": {
                    "body": {"$.users.user": {"matchers": [{"match": "type", "min": 2}]}}
                },
            },
            spec="V3",
        ),
        Case(
            "v4 eachKey with a value and eachValue",
            "eachKey carrying a value, eachValue with nested rules (V4)",
            {
                "correct": json_answer({"stock": {"tea": 5, "coffee": 2}}),
                "broken/key-shape": json_answer({"stock": {"Tea!": 5}}),
                "broken/value-type": json_answer({"stock": {"tea": "5"}}),
            },
            response={
                "status": 200,
                "headers": {"Content-Type": [JSON]},
                "body": {"content": {"stock": {"tea": 1}}, "contentType": JSON, "encoded": False},
                "matchingRules": {
                    "body": {
                        "$.stock": {
                            "combine": "AND",
                            "matchers": [
                                {
                                    "match": "eachKey",
                                    "value": {"tea": 1},
                                    "rules": [{"match": "regex", "regex": "^[a-z]+$"}],
                                },
                                {
                                    "match": "eachValue",
                                    "value": {"tea": 1},
                                    "rules": [{"match": "integer"}],
                                },
                            ],
                        }
                    }
                },
            },
        ),
        Case(
            "declared json that is not json",
            "a body declared as JSON that is not JSON",
            {
                "correct": json_answer({"a": 1}),
                "broken/not-json": Answer(b"a=1", JSON),
            },
            response={
                "status": 200,
                "headers": {"Content-Type": JSON},
                "body": {"a": 1},
            },
            spec="V3",
        ),
    ]


# --- V4 asynchronous messages in every encoding ---------------------------------------------

_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452")


def _message_cases() -> list[Case]:
    def message(
        contents: Mapping[str, Any], rules: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        found: dict[str, Any] = {"contents": dict(contents)}
        if rules:
            found["matchingRules"] = {"body": dict(rules)}
        return found

    integer_id = {"$.id": {"combine": "AND", "matchers": [{"match": "integer"}]}}
    return [
        Case(
            "message content as a JSON value",
            "V4 message content given as a JSON value",
            {
                "correct": json_answer({"id": 7}),
                "broken/id-type": json_answer({"id": "7"}),
            },
            message=message(
                {"content": {"id": 1}, "contentType": JSON, "encoded": False}, integer_id
            ),
        ),
        Case(
            "message content encoded json",
            "V4 message content with encoded: json",
            {
                "correct": json_answer({"id": 8}),
                "broken/id-type": json_answer({"id": True}),
            },
            message=message(
                {"content": json.dumps({"id": 1}), "contentType": JSON, "encoded": "json"},
                integer_id,
            ),
        ),
        Case(
            "message content as text",
            "V4 message content as text",
            {
                "correct": Answer(b"hello", "text/plain"),
                "broken/other-text": Answer(b"goodbye", "text/plain"),
            },
            message=message({"content": "hello", "contentType": "text/plain", "encoded": False}),
        ),
        Case(
            "message content base64",
            "V4 message content with encoded: base64",
            {
                "correct": Answer(_PNG, "application/octet-stream"),
                "broken/other-bytes": Answer(_PNG[::-1], "application/octet-stream"),
            },
            message=message(
                {
                    "content": base64.b64encode(_PNG).decode("ascii"),
                    "contentType": "application/octet-stream",
                    "encoded": "base64",
                }
            ),
        ),
    ]


def cases() -> list[Case]:
    return [*_dsl_cases(), *_raw_cases(), *_message_cases()]


# --- pact files ------------------------------------------------------------------------------

CONSUMER = "corpus-consumer"
PROVIDER = "corpus-provider"


def answers() -> dict[str, Answer]:
    """What the provider sends for each interaction, by description."""
    found: dict[str, Answer] = {}
    for case in cases():
        for variant, description in case.descriptions().items():
            found[description] = case.answers[variant]
    return found


def path_of(description: str) -> str:
    return "/corpus/" + base64.urlsafe_b64encode(description.encode("utf-8")).decode("ascii")


def description_of(path: str) -> str:
    return base64.urlsafe_b64decode(path.removeprefix("/corpus/").encode("ascii")).decode("utf-8")


def _dsl_pact(directory: Path) -> Path:
    from pact import Pact

    pact = Pact(CONSUMER + "-dsl", PROVIDER).with_specification("V4")
    for case in cases():
        if case.dsl is None:
            continue
        for description in case.descriptions().values():
            interaction = pact.upon_receiving(description).with_request("GET", path_of(description))
            case.dsl(interaction)
    pact.write_file(directory, overwrite=True)
    return directory / f"{CONSUMER}-dsl-{PROVIDER}.json"


def _raw_pact(directory: Path, spec: str) -> Path | None:
    interactions: list[dict[str, Any]] = []
    for case in cases():
        if case.response is None or case.spec != spec:
            continue
        for description in case.descriptions().values():
            interaction: dict[str, Any] = {
                "description": description,
                "request": {"method": "GET", "path": path_of(description)},
                "response": dict(case.response),
            }
            if spec == "V4":
                interaction["type"] = "Synchronous/HTTP"
            interactions.append(interaction)
    if not interactions:
        return None
    version = {"V2": "2.0.0", "V3": "3.0.0", "V4": "4.0"}[spec]
    document = {
        "consumer": {"name": f"{CONSUMER}-{spec.lower()}"},
        "provider": {"name": PROVIDER},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": version}},
    }
    path = directory / f"{CONSUMER}-{spec.lower()}-{PROVIDER}.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _message_pact(directory: Path) -> Path:
    interactions = [
        {"type": "Asynchronous/Messages", "description": description, **dict(case.message)}
        for case in cases()
        if case.message is not None
        for description in case.descriptions().values()
    ]
    document = {
        "consumer": {"name": f"{CONSUMER}-messages"},
        "provider": {"name": PROVIDER},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    path = directory / f"{CONSUMER}-messages-{PROVIDER}.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def write_corpus(directory: Path) -> list[Path]:
    """Write every pact of the corpus into ``directory``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = [_dsl_pact(directory), _message_pact(directory)]
    for spec in ("V2", "V3", "V4"):
        raw = _raw_pact(directory, spec)
        if raw is not None:
            written.append(raw)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "parity-corpus")
    for written_path in write_corpus(target):
        print(written_path)
