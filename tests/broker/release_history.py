"""Building a release history through the broker's HTTP API, as a pipeline would.

Each helper is one step of a real pipeline: publish a consumer's pact, publish a provider's
verification result, create an environment, record a deployment or a release. Matrix and
can-i-deploy tests read as a list of such steps followed by the question.
"""

from typing import Any
from urllib.parse import quote

from tests.broker.conftest import RunningBroker, make_pact


def _path(broker: RunningBroker, href: str) -> str:
    return href.removeprefix(broker.url)


def seg(value: str) -> str:
    return quote(value, safe="")


def create_environment(broker: RunningBroker, name: str, *, production: bool = False) -> str:
    """Create an environment; its uuid."""
    response = broker.post("/environments", {"name": name, "production": production})
    assert response.status_code == 201, response.text
    uuid = response.json()["uuid"]
    assert isinstance(uuid, str)
    return uuid


def publish(
    broker: RunningBroker,
    consumer: str,
    version: str,
    provider: str = "Accounts",
    *descriptions: str,
    branch: str | None = None,
    tags: list[str] | None = None,
) -> None:
    """The consumer publishes its pact with ``provider`` for ``version``."""
    pact = make_pact(consumer, provider, *descriptions)
    response = broker.publish(consumer, version, pact, branch=branch, tags=tags)
    assert response.status_code in (200, 201), response.text


def verify(
    broker: RunningBroker,
    provider: str,
    provider_version: str,
    consumer: str,
    consumer_version: str,
    *,
    success: bool = True,
    branch: str | None = None,
    test_results: list[dict[str, Any]] | None = None,
) -> str:
    """The provider publishes a result for the consumer version's pact; the result's URL."""
    if branch is not None:
        put = broker.put(
            f"/pacticipants/{seg(provider)}/branches/{seg(branch)}/versions/{seg(provider_version)}"
        )
        assert put.status_code in (200, 201), put.text
    pact = broker.get(
        f"/pacts/provider/{seg(provider)}/consumer/{seg(consumer)}/version/{seg(consumer_version)}"
    )
    assert pact.status_code == 200, pact.text
    href = pact.json()["_links"]["pb:publish-verification-results"]["href"]
    body: dict[str, Any] = {"providerApplicationVersion": provider_version, "success": success}
    if test_results is not None:
        body["testResults"] = test_results
    response = broker.post(_path(broker, href), body)
    assert response.status_code == 201, response.text
    url = response.json()["_links"]["self"]["href"]
    assert isinstance(url, str)
    return url


def ensure_version(broker: RunningBroker, pacticipant: str, version: str) -> None:
    response = broker.put(f"/pacticipants/{seg(pacticipant)}/versions/{seg(version)}", {})
    assert response.status_code in (200, 201), response.text


def _environment_link(
    broker: RunningBroker, pacticipant: str, version: str, relation: str, environment: str
) -> str:
    resource = broker.get(f"/pacticipants/{seg(pacticipant)}/versions/{seg(version)}")
    assert resource.status_code == 200, resource.text
    links = resource.json()["_links"][relation]
    matching = [entry["href"] for entry in links if entry["name"] == environment]
    assert matching, f"no {relation} link for {environment}: {links}"
    return _path(broker, matching[0])


def deploy(
    broker: RunningBroker,
    pacticipant: str,
    version: str,
    environment: str,
    *,
    instance: str | None = None,
) -> dict[str, Any]:
    """Record that ``version`` was deployed to ``environment``; the deployed-version body."""
    href = _environment_link(broker, pacticipant, version, "pb:record-deployment", environment)
    body = {"applicationInstance": instance} if instance is not None else {}
    response = broker.post(href, body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def undeploy(broker: RunningBroker, deployment: dict[str, Any]) -> None:
    href = _path(broker, deployment["_links"]["self"]["href"])
    response = broker.patch(href, {"currentlyDeployed": False})
    assert response.status_code == 200, response.text


def release(broker: RunningBroker, pacticipant: str, version: str, environment: str) -> Any:
    href = _environment_link(broker, pacticipant, version, "pb:record-release", environment)
    response = broker.post(href, {})
    assert response.status_code in (200, 201), response.text
    return response.json()


def can_i_deploy(
    broker: RunningBroker, pacticipant: str, version: str, environment: str
) -> dict[str, Any]:
    """``pact broker can-i-deploy -a P -e V --to-environment E`` as the CLI asks it."""
    query = (
        f"q[][pacticipant]={seg(pacticipant)}&q[][version]={seg(version)}"
        f"&latestby=cvpv&environment={seg(environment)}"
    )
    return matrix(broker, query)


def matrix(broker: RunningBroker, query: str, *, status: int = 200) -> dict[str, Any]:
    response = broker.get(f"/matrix?{query}")
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body
