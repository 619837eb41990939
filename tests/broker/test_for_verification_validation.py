"""for-verification refuses invalid requests with a 400 naming the selector and the rule."""

from typing import Any

import pytest
from accord_broker.domain.for_verification.selectors import (
    Selector,
    expand,
    parse_for_verification_request,
)
from accord_broker.errors import BrokerInputError

from tests.broker.conftest import RunningBroker
from tests.broker.test_for_verification_support import FOR_VERIFICATION, publish

INVALID_SELECTORS: list[tuple[dict[str, Any], str]] = [
    ({}, "needs at least one of"),
    ({"consumer": "Web"}, "needs at least one of"),
    ({"latest": False}, "needs at least one of"),
    ({"mainBranch": False}, "mainBranch must be true"),
    ({"mainBranch": True, "tag": "prod"}, "mainBranch can only be combined"),
    ({"mainBranch": True, "latest": False}, "latest: false"),
    ({"matchingBranch": True}, "needs providerVersionBranch"),
    ({"tag": "prod", "branch": "main"}, "tag and branch cannot be used together"),
    ({"branch": "main", "deployed": True}, "cannot be combined with environment keys"),
    ({"tag": "prod", "fallbackTag": "dev"}, "fallbackTag needs a tag and latest: true"),
    ({"fallbackBranch": "main"}, "fallbackBranch needs a branch"),
    ({"branch": "main", "latest": False}, "branch cannot be used with latest: false"),
    ({"branch": True}, "every branch) needs latest: true"),
    ({"deployed": True, "released": True}, "mutually exclusive"),
    ({"tag": ""}, "tag must be a non-blank string"),
    ({"tag": 3}, "tag must be a non-blank string"),
    ({"branch": 7}, "branch must be a non-blank string"),
    ({"latest": "yes"}, "latest must be true or false"),
]


@pytest.mark.parametrize(("selector", "message"), INVALID_SELECTORS)
def test_an_invalid_selector_is_refused_with_the_rule_it_breaks(
    selector: dict[str, Any], message: str
) -> None:
    with pytest.raises(BrokerInputError) as caught:
        parse_for_verification_request({"consumerVersionSelectors": [{"latest": True}, selector]})

    assert caught.value.errors is not None
    problems = caught.value.errors["consumerVersionSelectors"]
    assert any(message in p and "(at index 1)" in p for p in problems), problems


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"consumerVersionSelectors": {"latest": True}}, "consumerVersionSelectors"),
        ({"consumerVersionSelectors": ["latest"]}, "consumerVersionSelectors"),
        ({"providerVersionTags": "prod"}, "providerVersionTags"),
        ({"providerVersionBranch": 3}, "providerVersionBranch"),
        ({"includePendingStatus": "yes"}, "includePendingStatus"),
        ({"includeWipPactsSince": "last tuesday"}, "includeWipPactsSince"),
        ({"providerVersionBranch": " ", "includePendingStatus": True}, "providerVersionBranch"),
    ],
)
def test_an_invalid_request_field_is_refused(body: dict[str, Any], field: str) -> None:
    with pytest.raises(BrokerInputError) as caught:
        parse_for_verification_request(body)

    assert caught.value.errors is not None
    assert field in caught.value.errors


def test_the_wip_date_may_be_a_date_or_a_timestamp() -> None:
    day = parse_for_verification_request({"includeWipPactsSince": "2020-01-31"})
    moment = parse_for_verification_request({"includeWipPactsSince": "2020-01-31T10:00:00Z"})

    assert day.include_wip_pacts_since is not None
    assert day.include_wip_pacts_since.isoformat() == "2020-01-31T00:00:00+00:00"
    assert moment.include_wip_pacts_since is not None
    assert moment.include_wip_pacts_since.hour == 10


def test_shorthand_selectors_expand_to_primitive_ones() -> None:
    assert expand(Selector(matching_branch=True, consumer="Web"), "feat") == [
        Selector(branch="feat", latest=True, consumer="Web")
    ]
    assert expand(Selector(deployed_or_released=True, environment="prod"), None) == [
        Selector(deployed=True, environment="prod"),
        Selector(released=True, environment="prod"),
    ]
    assert expand(Selector(environment="prod"), None) == [
        Selector(deployed=True, environment="prod"),
        Selector(released=True, environment="prod"),
    ]


def test_invalid_selectors_get_a_400_json_body_over_http(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")

    response = broker.post(
        FOR_VERIFICATION, {"consumerVersionSelectors": [{"tag": "a", "branch": "b"}]}
    )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"]["consumerVersionSelectors"] == [
        "tag and branch cannot be used together (at index 0)"
    ]


def test_an_environment_that_does_not_exist_is_refused(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")

    response = broker.post(
        FOR_VERIFICATION, {"consumerVersionSelectors": [{"environment": "moon"}]}
    )

    assert response.status_code == 400
    assert "moon" in response.json()["errors"]["consumerVersionSelectors"][0]


def test_malformed_json_is_a_400_not_a_500(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")

    response = broker.post(
        FOR_VERIFICATION, None, data=b"{nope", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]
