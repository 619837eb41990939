"""The public names of ``accord`` and ``accord.pact`` are pinned: changing them is a decision."""

import accord
import accord.pact

ACCORD_NAMES = {"AccordError", "PactFormatError", "__version__"}

PACT_NAMES = {
    # the model
    "ABSENT_BODY",
    "AnyInteraction",
    "AsynchronousMessage",
    "Body",
    "BodyKind",
    "Generator",
    "Generators",
    "HttpRequest",
    "HttpResponse",
    "Interaction",
    "Matcher",
    "MatchingRules",
    "MessageContents",
    "Pact",
    "ProviderState",
    "RuleList",
    "SpecVersion",
    "SynchronousHttp",
    "SynchronousMessages",
    # reading and writing
    "load_pact",
    "parse_pact",
    "pact_to_json",
    "interaction_to_json",
    "request_to_json",
    "response_to_json",
    "message_to_json",
    # identity
    "content_sha",
    "interaction_id",
    "spec_version_of",
}


def test_accord_exports_exactly_its_public_names() -> None:
    assert set(accord.__all__) == ACCORD_NAMES
    assert all(hasattr(accord, name) for name in accord.__all__)


def test_accord_pact_exports_exactly_its_public_names() -> None:
    assert set(accord.pact.__all__) == PACT_NAMES
    assert all(hasattr(accord.pact, name) for name in accord.pact.__all__)


def test_public_names_are_listed_once() -> None:
    assert len(accord.pact.__all__) == len(set(accord.pact.__all__))
    assert len(accord.__all__) == len(set(accord.__all__))
