"""Every ``${pactbroker.*}`` variable, in URL, headers and body, as the receiver gets them."""

import base64
import json
from collections.abc import Iterator

import pytest
from accord_broker.db.models import Label, Pacticipant
from accord_broker.domain.webhooks.definition import RequestTemplate
from accord_broker.domain.webhooks.parameters import PactFacts, VerificationFacts, template_values
from accord_broker.domain.webhooks.templates import VARIABLES, render_request
from sqlalchemy import create_engine, insert, select

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.release_history import create_environment, deploy, ensure_version
from tests.broker.webhook_receiver import WEBHOOK_SETTINGS, Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url, **WEBHOOK_SETTINGS) as running:
        yield running


def _label(database_url: str, pacticipant: str, label: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            found = connection.execute(
                select(Pacticipant.id).where(Pacticipant.name == pacticipant)
            ).scalar_one()
            connection.execute(insert(Label).values(pacticipant_id=found, name=label))
    finally:
        engine.dispose()


def test_every_variable_is_filled_in_for_a_verification(
    broker: RunningBroker, receiver: Receiver
) -> None:
    body = {name: "${pactbroker." + name + "}" for name in VARIABLES}
    hook = {
        "events": [{"name": "provider_verification_published"}],
        "request": {
            "method": "POST",
            "url": receiver.url + "/hook?consumer=${pactbroker.consumerName}"
            "&status=${pactbroker.githubVerificationStatus}",
            "headers": {"X-Provider-Version": "${pactbroker.providerVersionNumber}"},
            "body": body,
        },
    }
    assert broker.post("/webhooks", hook).status_code == 201
    broker.publish("Web", "1", make_pact("Web", "Accounts"), branch="main", tags=["prod"])
    _label(broker.database_url, "Web", "team-web")
    broker.put("/pacticipants/Accounts/versions/p1/tags/t1", {})
    broker.put("/pacticipants/Accounts/branches/develop/versions/p1", {})
    create_environment(broker, "production")
    ensure_version(broker, "Accounts", "p0")
    deploy(broker, "Accounts", "p0", "production")
    pact = broker.get("/pacts/provider/Accounts/consumer/Web/latest").json()
    publish_href = pact["_links"]["pb:publish-verification-results"]["href"]
    result = broker.post(
        publish_href.removeprefix(broker.url),
        {"success": True, "providerApplicationVersion": "p1", "buildUrl": "http://ci/build/7"},
    )
    assert result.status_code == 201

    received = receiver.wait_for(1)[0]

    verification_url = result.json()["_links"]["self"]["href"]
    sha = verification_url.split("/pact-version/")[1].split("/")[0]
    pact_version = f"{broker.url}/pacts/provider/Accounts/consumer/Web/pact-version/{sha}"
    metadata = base64.urlsafe_b64encode(b"cvn=1&cvt[]=prod&w=true").decode().rstrip("=")
    assert received.json() == {
        "pactUrl": f"{pact_version}/metadata/{metadata}",
        "verificationResultUrl": f"{pact_version}/verification-results/1",
        "consumerName": "Web",
        "providerName": "Accounts",
        "consumerVersionNumber": "1",
        "providerVersionNumber": "p1",
        "consumerVersionTags": "prod",
        "providerVersionTags": "t1",
        "consumerVersionBranch": "main",
        "providerVersionBranch": "develop",
        "providerVersionDescriptions": "",
        "consumerLabels": "team-web",
        "providerLabels": "",
        "githubVerificationStatus": "success",
        "bitbucketVerificationStatus": "SUCCESSFUL",
        "azureDevOpsVerificationStatus": "succeeded",
        "gitlabVerificationStatus": "success",
        "buildUrl": "http://ci/build/7",
        "eventName": "provider_verification_published",
        "currentlyDeployedProviderVersionNumber": "p0",
    }
    assert verification_url == f"{pact_version}/verification-results/1"
    assert received.query == {"consumer": ["Web"], "status": ["success"]}
    assert received.headers["X-Provider-Version"] == "p1"


def test_a_publication_webhook_gets_the_branch_and_build_url_of_the_publication(
    broker: RunningBroker, receiver: Receiver
) -> None:
    hook = {
        "events": [{"name": "contract_published"}],
        "request": {
            "method": "POST",
            "url": receiver.url + "/hook",
            "body": "${pactbroker.consumerVersionBranch} ${pactbroker.buildUrl} "
            "${pactbroker.githubVerificationStatus} ${pactbroker.verificationResultUrl}|",
        },
    }
    broker.post("/webhooks", hook)

    broker.publish(
        "Web", "1", make_pact("Web", "Accounts"), branch="feat/x", build_url="http://b/1"
    )

    assert receiver.wait_for(1)[0].body == "feat/x http://b/1 pending |"


FACTS = PactFacts(
    consumer_name="Web App",
    provider_name="Accounts",
    consumer_version_number="1.0",
    consumer_version_tags=("a", "b"),
    consumer_version_branches=("main",),
    sha="abc",
)
FAILED = VerificationFacts("Web App", "Accounts", "abc", 3, False, "p9", (), ("dev",))


def test_statuses_say_failure_for_failed_and_pending_for_unverified_pacts() -> None:
    failed = template_values("http://b", FACTS, FAILED, {"event_name": "x"})
    unverified = template_values("http://b", FACTS, None, {"event_name": "x"})

    assert [failed[k] for k in ("githubVerificationStatus", "bitbucketVerificationStatus")] == [
        "failure",
        "FAILED",
    ]
    assert [failed[k] for k in ("azureDevOpsVerificationStatus", "gitlabVerificationStatus")] == [
        "failed",
        "failed",
    ]
    assert [unverified[k] for k in ("githubVerificationStatus", "bitbucketVerificationStatus")] == [
        "pending",
        "INPROGRESS",
    ]
    assert unverified["verificationResultUrl"] == "" and unverified["providerVersionNumber"] == ""
    assert failed["consumerVersionTags"] == "a, b"
    assert failed["pactUrl"].startswith("http://b/pacts/provider/Accounts/consumer/Web%20App/")


def test_context_from_the_trigger_wins_over_the_current_facts() -> None:
    values = template_values(
        "http://b",
        FACTS,
        FAILED,
        {
            "consumer_version_number": "0.9",
            "consumer_version_tags": [],
            "provider_version_branch": None,
            "provider_version_descriptions": ["deployed in prod", "released in x"],
        },
    )

    assert values["consumerVersionNumber"] == "0.9"
    assert values["consumerVersionTags"] == ""
    assert values["providerVersionBranch"] == ""
    assert values["providerVersionDescriptions"] == "deployed in prod, released in x"


def test_url_values_are_form_encoded_and_json_bodies_stay_valid_json() -> None:
    template = RequestTemplate(
        method="POST",
        url="https://ci/x?c=${pactbroker.consumerName}&u=${pactbroker.unknown}",
        headers={"X-C": "${pactbroker.consumerName}"},
        body=json.dumps({"${pactbroker.consumerName}": 'say "${pactbroker.consumerName}"'}),
        body_is_json=True,
    )

    rendered = render_request(template, {"consumerName": 'Web "App"'})

    assert rendered.url == "https://ci/x?c=Web+%22App%22&u=${pactbroker.unknown}"
    assert rendered.headers == {"X-C": 'Web "App"'}
    assert rendered.body is not None
    assert json.loads(rendered.body) == {'Web "App"': 'say "Web "App""'}
