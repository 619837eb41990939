"""The catalogue of questions the scale benchmark asks: at least one per read route of the
app, each naming the route it exercises, and every query form of the matrix, can-i-deploy,
can-i-merge and for-verification. Routes that change state are listed in ``NOT_QUERIES``
with the reason. ``tests/broker/test_scale_catalogue.py`` fails when the app has a route
that is in neither, or when the catalogue names a route the app does not have."""

from benchmarks.broker_scale.catalogue_matrix import (
    for_verification_questions,
    matrix_questions,
)
from benchmarks.broker_scale.catalogue_pacts import (
    badge_questions,
    pact_questions,
    verification_questions,
)
from benchmarks.broker_scale.catalogue_resources import (
    pacticipant_questions,
    platform_questions,
)
from benchmarks.broker_scale.catalogue_ui import ui_questions
from benchmarks.broker_scale.question import Question
from benchmarks.broker_scale.shape import Shape

HEARTBEAT = "heartbeat"

_PUBLISH = "a write: benchmarks/broker_publish.py measures publication"
_VERIFY = "a write: publishing verification results (benchmarks/broker_publish.py)"
_ADMIN = "a write: an administrative change, not on any pipeline's read path"
_DEPLOY = "a write: record-deployment/record-release (one row, the CLI's hot path is the GET)"
_WEBHOOK = "a write: creating or changing a webhook definition"
_EXECUTE = "a write with a side effect: executing sends an HTTP request out of the broker"

PAIR = "/pacts/provider/{provider}/consumer/{consumer}"
VERSION = "/pacticipants/{pacticipant}/versions/{number}"

NOT_QUERIES: dict[str, str] = {
    "POST /contracts/publish": _PUBLISH,
    f"PUT {PAIR}/version/{{number}}": _PUBLISH,
    f"DELETE {PAIR}/version/{{number}}": _ADMIN,
    f"POST {PAIR}/pact-version/{{sha}}/verification-results": _VERIFY,
    f"POST {PAIR}/pact-version/{{sha}}/metadata/{{metadata}}/verification-results": _VERIFY,
    "POST /provider-contracts/provider/{provider}/publish": (
        "a write: benchmarks/provider_contracts.py measures the comparison it runs; the "
        "benchmark publishes two contracts this way before measuring"
    ),
    "POST /pacticipants": _ADMIN,
    "PATCH /pacticipants/{name}": _ADMIN,
    "PUT /pacticipants/{name}": _ADMIN,
    "DELETE /pacticipants/{name}": _ADMIN,
    f"PUT {VERSION}": _PUBLISH,
    f"PATCH {VERSION}": _PUBLISH,
    f"DELETE {VERSION}": _ADMIN,
    f"PUT {VERSION}/tags/{{tag}}": _PUBLISH,
    f"DELETE {VERSION}/tags/{{tag}}": _ADMIN,
    "DELETE /pacticipants/{pacticipant}/branches/{branch}": _ADMIN,
    "PUT /pacticipants/{pacticipant}/branches/{branch}/versions/{number}": _PUBLISH,
    "DELETE /pacticipants/{pacticipant}/branches/{branch}/versions/{number}": _ADMIN,
    "POST /environments": _ADMIN,
    "PUT /environments/{uuid}": _ADMIN,
    "DELETE /environments/{uuid}": _ADMIN,
    f"POST {VERSION}/deployed-versions/environment/{{env_uuid}}": _DEPLOY,
    f"POST {VERSION}/released-versions/environment/{{env_uuid}}": _DEPLOY,
    "PATCH /deployed-versions/{uuid}": _DEPLOY,
    "PATCH /released-versions/{uuid}": _DEPLOY,
    "POST /webhooks": _WEBHOOK,
    "POST /webhooks/provider/{provider}/consumer/{consumer}": _WEBHOOK,
    "POST /webhooks/provider/{provider}": _WEBHOOK,
    "POST /webhooks/consumer/{consumer}": _WEBHOOK,
    "PUT /webhooks/{uuid}": _WEBHOOK,
    "DELETE /webhooks/{uuid}": _WEBHOOK,
    "POST /webhooks/execute": _EXECUTE,
    "POST /webhooks/{uuid}/execute": _EXECUTE,
    "PUT /pacticipants/{pacticipant}/labels/{label}": _ADMIN,
    "DELETE /pacticipants/{pacticipant}/labels/{label}": _ADMIN,
    "DELETE /integrations": _ADMIN,
    "DELETE /integrations/provider/{provider}/consumer/{consumer}": _ADMIN,
}
"""Routes the benchmark does not ask, each with the reason: ``METHOD /template`` → why."""


def questions_for(shape: Shape) -> list[Question]:
    """Every question, the heartbeat first (the yardstick of each round)."""
    asked = [
        *pacticipant_questions(shape),
        *matrix_questions(shape),
        *for_verification_questions(shape),
        *pact_questions(shape),
        *verification_questions(shape),
        *badge_questions(shape),
        *platform_questions(shape),
        *ui_questions(shape),
    ]
    heartbeat = [q for q in asked if q.name == HEARTBEAT]
    return heartbeat + [q for q in asked if q.name != HEARTBEAT]


def asked_routes(shape: Shape) -> set[str]:
    """``METHOD /template`` of every route the catalogue asks."""
    return {question.route for question in questions_for(shape)}
