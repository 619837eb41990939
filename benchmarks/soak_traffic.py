"""The soak's request mix (benchmarks/soak.py): what a pipeline, a browser and the official
clients send a broker, one HTTP request per call, each answer counted in a ``SoakResult``."""

import base64
import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from benchmarks.soak import SoakResult

CONSUMERS = ("Web", "Mobile", "Notifications")
PROVIDERS = ("Accounts", "Transfers")
PACT_VARIANTS = 40
"""Distinct contents per consumer and provider: new pact versions keep arriving, repeats too."""


def _pact(consumer: str, provider: str, variant: int) -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": f"a request for account {n} ({variant})",
                "providerStates": [{"name": "an account exists", "params": {"id": n}}],
                "request": {"method": "GET", "path": f"/accounts/{n}"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": {"id": n, "variant": variant},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                },
            }
            for n in range(5)
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


class Traffic:
    """The mixed requests, one step at a time; each step is one HTTP request."""

    def __init__(self, url: str, result: "SoakResult") -> None:
        self.url = url
        self.result = result
        self.http = requests.Session()
        self.published: list[tuple[str, str, str]] = []
        """(consumer, version, verification results URL) of recent publications."""
        self.environment = ""
        self.steps: list[Callable[[int], None]] = [
            self.publish,
            self.verify,
            self.can_i_deploy,
            self.for_verification,
            self.ui_index,
            self.matrix,
            self.publish,
            self.ui_pacticipant,
            self.verify,
            self.badge,
            self.deploy,
            self.latest_pact,
            self.ui_matrix,
            self.pacticipant_versions,
        ]

    def send(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        url = path if path.startswith("http") else self.url + path
        response = self.http.request(method, url, json=body, timeout=60, **kwargs)
        self.result.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.result.server_errors.append(f"{method} {path} -> {response.status_code}")
        return response

    def set_up(self, webhook_url: str) -> None:
        answer = self.send("POST", "/environments", {"name": "production", "production": True})
        self.environment = answer.json()["uuid"]
        for event in ("contract_published", "provider_verification_published"):
            webhook = {
                "description": f"soak {event}",
                "events": [{"name": event}],
                "request": {"method": "POST", "url": webhook_url, "body": {"e": event}},
            }
            assert self.send("POST", "/webhooks", webhook).status_code == 201

    def step(self, n: int) -> None:
        self.steps[n % len(self.steps)](n)

    def publish(self, n: int) -> None:
        consumer = CONSUMERS[n % len(CONSUMERS)]
        version = f"{n}-{uuid.uuid4().hex[:6]}"
        contracts = [
            {
                "consumerName": consumer,
                "providerName": provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(
                    json.dumps(_pact(consumer, provider, n % PACT_VARIANTS)).encode()
                ).decode(),
            }
            for provider in PROVIDERS
        ]
        body = {
            "pacticipantName": consumer,
            "pacticipantVersionNumber": version,
            "branch": "main" if n % 3 else f"feature-{n % 7}",
            "tags": ["main"],
            "contracts": contracts,
        }
        answer = self.send("POST", "/contracts/publish", body)
        self.result.webhooks_expected += len(PROVIDERS)  # one contract_published per pact
        if not answer.ok:
            return
        provider = PROVIDERS[n % len(PROVIDERS)]
        pact = self.send("GET", f"/pacts/provider/{provider}/consumer/{consumer}/version/{version}")
        results = pact.json()["_links"]["pb:publish-verification-results"]["href"]
        self.published.append((consumer, version, results))
        del self.published[:-20]

    def verify(self, n: int) -> None:
        if not self.published:
            return self.publish(n)
        _consumer, _version, url = self.published[n % len(self.published)]
        body = {
            "success": n % 5 != 0,
            "providerApplicationVersion": f"p{n}",
            "providerVersionBranch": "main",
            "buildUrl": f"https://ci.example.com/build/{n}",
        }
        self.send("POST", url, body)
        self.result.webhooks_expected += 1
        return None

    def can_i_deploy(self, n: int) -> None:
        consumer, version = self._recent(n)
        query = {"pacticipant": consumer, "version": version, "to": "production"}
        self.send("GET", "/can-i-deploy", params=query)

    def for_verification(self, n: int) -> None:
        body = {
            "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
            "includePendingStatus": True,
            "includeWipPactsSince": "2020-01-01",
            "providerVersionBranch": "main",
        }
        self.send("POST", f"/pacts/provider/{PROVIDERS[n % 2]}/for-verification", body)

    def ui_index(self, _n: int) -> None:
        self.send("GET", "/ui/", headers={"Accept": "text/html"})

    def ui_pacticipant(self, n: int) -> None:
        self.send("GET", f"/ui/pacticipants/{CONSUMERS[n % 3]}", headers={"Accept": "text/html"})

    def ui_matrix(self, n: int) -> None:
        path = f"/ui/matrix/provider/{PROVIDERS[n % 2]}/consumer/{CONSUMERS[n % 3]}"
        self.send("GET", path, headers={"Accept": "text/html"})

    def matrix(self, n: int) -> None:
        query = f"q[][pacticipant]={CONSUMERS[n % 3]}&q[][pacticipant]={PROVIDERS[n % 2]}"
        self.send("GET", f"/matrix?{query}&latestby=cvpv&limit=100")

    def badge(self, n: int) -> None:
        path = f"/pacts/provider/{PROVIDERS[n % 2]}/consumer/{CONSUMERS[n % 3]}/latest/badge"
        self.send("GET", path)

    def deploy(self, n: int) -> None:
        consumer, version = self._recent(n)
        path = f"/pacticipants/{consumer}/versions/{version}/deployed-versions/environment/"
        self.send("POST", path + self.environment, {})

    def latest_pact(self, n: int) -> None:
        path = f"/pacts/provider/{PROVIDERS[n % 2]}/consumer/{CONSUMERS[n % 3]}/latest"
        self.send("GET", path)

    def pacticipant_versions(self, n: int) -> None:
        self.send("GET", f"/pacticipants/{CONSUMERS[n % 3]}/versions?size=20")

    def _recent(self, n: int) -> tuple[str, str]:
        if not self.published:
            self.publish(n)
        consumer, version, _ = self.published[n % len(self.published)]
        return consumer, version
