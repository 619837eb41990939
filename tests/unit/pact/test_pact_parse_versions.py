"""Every specification version and every kind of interaction parses into the one model."""

from pathlib import Path

import pytest

from accord.pact import (
    AsynchronousMessage,
    BodyKind,
    Matcher,
    ProviderState,
    RuleList,
    SynchronousHttp,
    SynchronousMessages,
    load_pact,
    parse_pact,
)

HANDWRITTEN = Path(__file__).resolve().parents[2] / "fixtures" / "pacts" / "handwritten"


def _pact(version: str, interactions: list[object], **extra: object) -> dict[str, object]:
    return {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": version}},
        **extra,
    }


def _http(request: dict[str, object] | None = None, **extra: object) -> dict[str, object]:
    return {
        "description": "d",
        "request": request or {"method": "GET", "path": "/"},
        "response": {"status": 200},
        **extra,
    }


# --- versions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"pactSpecification": {"version": "1.0.0"}}, "V1"),
        ({"pactSpecification": {"version": "1.1.0"}}, "V1.1"),
        ({"pactSpecification": {"version": "2.0.0"}}, "V2"),
        ({"pactSpecification": {"version": "3.0.0"}}, "V3"),
        ({"pactSpecification": {"version": "4.0"}}, "V4"),
        ({"pactSpecification": {"version": "4.0.0"}}, "V4"),
        ({"pact-specification": {"version": "1.1.0"}}, "V1.1"),
        ({"pactSpecificationVersion": "2.0.0"}, "V2"),
        ({"pactSpecificationVersion": "1.0"}, "V1"),
        ({"pact-jvm": {"version": "3.5.0"}}, "V3"),
        ({}, "V3"),
    ],
)
def test_the_version_is_read_from_every_metadata_spelling(
    metadata: dict[str, object], expected: str
) -> None:
    document = _pact("x", [_http()])
    document["metadata"] = metadata
    assert parse_pact(document).spec == expected


def test_a_pact_without_metadata_is_v3_like_the_reference_reads_it() -> None:
    document = {"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": [_http()]}
    assert parse_pact(document).spec == "V3"


def test_a_pact_without_metadata_whose_interactions_carry_v4_types_is_v4() -> None:
    interaction = {**_http(), "type": "Synchronous/HTTP"}
    document = {"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": [interaction]}
    assert parse_pact(document).spec == "V4"


# --- hand-written examples of each version --------------------------------------------------


def test_v1_pact_parses_query_string_split_headers_and_every_body_kind() -> None:
    pact = load_pact(HANDWRITTEN / "v1-billing-invoices.json")
    assert (pact.consumer, pact.provider, pact.spec) == ("billing-ui", "invoices", "V1")
    listing, deletion, ping = pact.interactions
    assert isinstance(listing, SynchronousHttp)
    assert listing.provider_states == (ProviderState("two invoices"),)
    assert listing.request.method == "get"
    assert listing.request.query == {"status": ("open",), "page": ("1",)}
    assert listing.request.headers == {"Accept": ("application/json", "text/plain")}
    assert listing.request.body.kind is BodyKind.ABSENT
    assert listing.response.headers["Date"] == ("Mon, 01 Jan 2024 10:00:00 GMT",)
    assert listing.response.body.value == [{"id": 1}, {"id": 2}]
    assert listing.response.body.raw == b'[{"id":1},{"id":2}]'
    assert isinstance(deletion, SynchronousHttp)
    assert deletion.provider_states == ()  # an empty providerState means "no state"
    assert deletion.request.body.kind is BodyKind.EMPTY
    assert deletion.response.body.kind is BodyKind.NULL
    assert isinstance(ping, SynchronousHttp)
    assert (ping.response.body.value, ping.response.body.content_type) == ("pong", "text/plain")


def test_v1_1_pact_decodes_its_query_and_reads_a_json_string_body_as_json() -> None:
    pact = load_pact(HANDWRITTEN / "v1.1-billing-invoices.json")
    (search,) = pact.interactions
    assert isinstance(search, SynchronousHttp)
    assert pact.spec == "V1.1"
    assert search.provider_states == (ProviderState("an invoice for Mary Smith"),)
    assert search.request.query == {
        "customer": ("Mary Smith",),
        "tag": ("a&b", "c"),
        "flag": (None,),
    }
    assert search.request.headers == {"Accept-Language": ("en", "de;q=0.5")}
    body = search.response.body
    assert (body.value, body.raw) == ({"total": 1}, b'{"total": 1}')
    assert body.content_type == "application/json; charset=utf-8"


def test_v2_matching_rules_are_normalised_into_categories() -> None:
    pact = load_pact(HANDWRITTEN / "v2-billing-invoices.json")
    fetch = pact.interactions[0]
    assert isinstance(fetch, SynchronousHttp)
    assert pact.spec == "V2"
    assert fetch.request.query == {"expand": ("lines",), "x": ("=1",)}
    request_rules = fetch.request.matching_rules
    assert request_rules["path"][""] == RuleList((Matcher("regex", {"regex": "/invoices/\\d+"}),))
    assert set(request_rules["header"]) == {"Authorization"}
    assert set(request_rules["query"]) == {"expand"}
    body_rules = fetch.response.matching_rules["body"]
    assert set(body_rules) >= {"$.id", "$.lines", "$.lines[*].sku", "$.lines[*].qty"}
    assert body_rules["$.lines"].matchers[0].params.get("min") == 1
    assert set(fetch.response.matching_rules["header"]) == {"Content-Type"}


def test_v2_string_body_with_xml_content_type_stays_text() -> None:
    pact = load_pact(HANDWRITTEN / "v2-billing-invoices.json")
    xml = pact.interactions[1]
    assert isinstance(xml, SynchronousHttp)
    assert xml.response.body.value.startswith("<?xml")
    assert xml.response.body.content_type == "application/xml"


def test_v3_pact_keeps_provider_state_params_query_lists_rules_and_generators() -> None:
    pact = load_pact(HANDWRITTEN / "v3-billing-invoices.json")
    create, pdf, form = pact.interactions
    assert isinstance(create, SynchronousHttp)
    assert create.provider_states == (
        ProviderState("customer exists", {"customerId": 42}),
        ProviderState("a price list exists"),
    )
    assert create.request.query == {
        "dryRun": ("false",),
        "tag": ("a", "b"),
        "flag": (None,),
        "lang": ("en",),
    }
    assert create.request.headers["Cache-Control"] == ("no-cache", "no-store")
    assert create.request.generators["body"]["$.customerId"].kind == "ProviderState"
    assert create.request.generators["path"][""].params == {"expression": "/invoices"}
    assert create.response.matching_rules["status"][""].matchers[0].kind == "statusCode"
    assert create.response.generators["header"]["Location"].kind == "MockServerURL"
    assert isinstance(pdf, SynchronousHttp)
    assert pdf.response.body.raw.startswith(b"%PDF-1.4")  # binary content is Base64 in JSON
    assert pdf.response.body.value == "JVBERi0xLjQKJcfsj6IK"
    assert isinstance(form, SynchronousHttp)
    assert form.request.body.value == "note=paid+in+full&by=mary"


def test_v3_message_pact_reads_messages_with_either_metadata_spelling() -> None:
    pact = load_pact(HANDWRITTEN / "v3-message-mailer-orders.json")
    placed, cancelled = pact.interactions
    assert isinstance(placed, AsynchronousMessage)
    assert placed.provider_states == (ProviderState("an order exists", {"orderId": "A-1"}),)
    assert placed.message.contents.value == {"orderId": "A-1", "total": 3}
    assert placed.message.metadata == {"contentType": "application/json", "topic": "orders"}
    assert set(placed.message.matching_rules) == {"body", "metadata"}
    assert placed.message.generators["body"]["$.total"].kind == "RandomInt"
    assert isinstance(cancelled, AsynchronousMessage)
    assert cancelled.provider_states == (ProviderState("a cancelled order"),)
    assert cancelled.message.contents.value == "order A-1 was cancelled"
    assert cancelled.message.contents.content_type == "text/plain"


def test_v4_pact_reads_all_three_interaction_kinds_and_the_v4_only_members() -> None:
    pact = load_pact(HANDWRITTEN / "v4-billing-invoices.json")
    fetch, upload, echo, paid, quote = pact.interactions
    assert isinstance(fetch, SynchronousHttp)
    assert (fetch.key, fetch.broker_id, fetch.pending) == ("inv-7", "0b4ad5b6c7e8f9a0", True)
    assert fetch.comments == {"testname": "test_fetch_invoice", "text": ["written by hand"]}
    assert fetch.extensions == {
        "interactionMarkup": {"markup": "# Fetch", "markupType": "COMMON_MARK"},
        "transport": "http",
    }
    assert fetch.request.headers == {"Accept": ("application/json",)}
    assert fetch.response.body.value == {"id": 7}
    assert isinstance(upload, SynchronousHttp)
    assert upload.request.body.raw == b"\x89PNG\r\n\x1a\n"
    assert upload.response.body.kind is BodyKind.NULL
    assert isinstance(echo, SynchronousHttp)
    assert (echo.request.body.value, echo.request.body.raw) == ({"a": [1, 2]}, b'{"a": [1, 2]}')
    assert echo.response.body.kind is BodyKind.NULL
    assert isinstance(paid, AsynchronousMessage)
    assert paid.key == "m1"
    assert paid.message.contents.value == {"invoiceId": 7}
    assert "content" in paid.message.matching_rules
    assert isinstance(quote, SynchronousMessages)
    assert quote.request.contents.value == "quote A1"
    assert quote.request.metadata == {"replyTo": "quotes"}
    assert [r.contents.value for r in quote.response] == [{"price": 9.5}, {"price": 8.0}]


def test_an_unknown_v4_interaction_type_is_skipped_as_the_v4_specification_asks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    plugin = {"type": "Synchronous/Plugin", "description": "grpc call"}
    pact = parse_pact(_pact("4.0", [plugin, {**_http(), "type": "Synchronous/HTTP"}]))
    assert len(pact.interactions) == 1
    assert "Synchronous/Plugin" in caplog.text


def test_a_v4_interaction_without_type_is_read_by_its_shape() -> None:
    message = {"description": "m", "contents": {"content": {"a": 1}}}
    pact = parse_pact(_pact("4.0", [_http(), message]))
    assert [type(i) for i in pact.interactions] == [SynchronousHttp, AsynchronousMessage]


def test_v3_provider_states_win_over_the_legacy_single_state() -> None:
    interaction = _http(providerStates=[{"name": "new"}], providerState="old")
    (parsed,) = parse_pact(_pact("3.0.0", [interaction])).interactions
    assert parsed.provider_states == (ProviderState("new"),)


def test_missing_method_path_and_status_take_the_reference_defaults() -> None:
    interaction = {"description": "d", "request": {}, "response": {}}
    (parsed,) = parse_pact(_pact("3.0.0", [interaction])).interactions
    assert isinstance(parsed, SynchronousHttp)
    assert (parsed.request.method, parsed.request.path, parsed.response.status) == ("GET", "/", 200)


def test_a_pact_keeps_its_metadata_and_source() -> None:
    pact = load_pact(HANDWRITTEN / "v2-billing-invoices.json")
    assert pact.metadata["pact-jvm"] == {"version": "3.5.0"}
    assert pact.source.endswith("v2-billing-invoices.json")
