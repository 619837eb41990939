"""Routes that read their query string themselves still document it in ``/openapi.json``.

FastAPI documents only the parameters a handler declares; the matrix, can-i-deploy,
for-verification, current placements and the network group read theirs from the raw query
(Rack-style lists, "empty means none"). Without ``api/query_docs.py`` they vanish from the
document, and with them what the fuzzer would try.
"""

import pytest

from tests.broker.conftest import RunningBroker

DOCUMENTED = {
    "/matrix": {"q[][pacticipant]", "q[][version]", "q[][branch]", "latestby", "limit"},
    "/can-i-deploy": {"pacticipant", "version", "environment", "to", "ignore[]"},
    "/pacticipants/{pacticipant}/main-branch/can-i-merge": {"version"},
    "/pacts/provider/{provider}/for-verification": {
        "provider_version_branch",
        "provider_version_tags[]",
        "include_pending_status",
        "include_wip_pacts_since",
    },
    "/environments/{env_uuid}/deployed-versions/currently-deployed": {
        "pacticipant",
        "applicationInstance",
    },
    "/environments/{env_uuid}/released-versions/currently-supported": {"pacticipant", "version"},
    "/groups/{pacticipant}": {"maxPacticipants"},
}


@pytest.mark.parametrize("path", sorted(DOCUMENTED))
def test_the_query_a_route_reads_is_documented(broker: RunningBroker, path: str) -> None:
    document = broker.get("/openapi.json").json()
    operation = document["paths"][path]["get"]
    documented = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert DOCUMENTED[path] <= documented, (
        f"{path} does not document {DOCUMENTED[path] - documented}"
    )
    path_parameters = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
    assert path_parameters == {part[1:-1] for part in path.split("/") if part.startswith("{")}
