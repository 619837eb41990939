"""OpenAPI entries for query parameters that routes read from the raw query string.

Some routes cannot take their query as FastAPI parameters: the matrix reads Rack-style
``q[][pacticipant]`` lists whose order pairs the keys, ``maxPacticipants`` that is not digits is
ignored rather than refused, and ``?applicationInstance=`` with an empty value means "without an
instance". Their parameters would then be missing from ``/openapi.json``, and a client (or the
fuzzer, which generates values only for what is documented) would never learn them. Each such
route names its parameters here, through ``openapi_extra``, which FastAPI appends to the
parameters it derives itself.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class QueryParameter:
    """One documented query parameter: its name, what it means, and its JSON schema."""

    name: str
    description: str
    schema_type: str = "string"
    repeated: bool = False
    enum: tuple[str, ...] = ()

    def document(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.schema_type}
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.repeated:
            schema = {"type": "array", "items": schema}
        entry: dict[str, Any] = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": schema,
        }
        if self.repeated:
            entry["style"] = "form"
            entry["explode"] = True
        return entry


def query_parameters(*parameters: QueryParameter) -> dict[str, Any]:
    """The ``openapi_extra`` of a route that reads ``parameters`` itself."""
    return {"parameters": [p.document() for p in parameters]}


_TRUE = ("true", "false")

MATRIX_QUERY = query_parameters(
    QueryParameter(
        "q[][pacticipant]",
        "A selector's pacticipant; each `q[][…]` key starts a new selector when the previous "
        "one already has it (Rack's rule).",
        repeated=True,
    ),
    QueryParameter("q[][version]", "The selector's version number.", repeated=True),
    QueryParameter(
        "q[][latest]", "`true`: the latest version (of the tag or branch).", repeated=True
    ),
    QueryParameter("q[][tag]", "Versions with this tag.", repeated=True),
    QueryParameter("q[][branch]", "Versions on this branch.", repeated=True),
    QueryParameter("q[][mainBranch]", "`true`: versions on the main branch.", repeated=True),
    QueryParameter("q[][environment]", "Versions in this environment.", repeated=True),
    QueryParameter(
        "latestby",
        "`cvpv`, `cvp` or `cp`: keep the latest row per consumer version and provider version, "
        "per consumer version, or per pair.",
        enum=("cvpv", "cvp", "cp"),
    ),
    QueryParameter("limit", "At most this many rows (default 100)."),
    QueryParameter("latest", "`true`: deploying to the latest (of `tag`) of the other side."),
    QueryParameter("tag", "Deploying to the versions with this tag."),
    QueryParameter("environment", "Deploying to this environment."),
    QueryParameter("mainBranch", "`true`: merging into the other side's main branch."),
    QueryParameter(
        "success[]", "Only rows with this verification outcome (`true`, `false`).", repeated=True
    ),
    QueryParameter("ignore[][pacticipant]", "Leave this pacticipant out.", repeated=True),
    QueryParameter("ignore[][version]", "…only this version of it.", repeated=True),
    QueryParameter("ignore[]", "Leave this pacticipant out (short form).", repeated=True),
)

CAN_I_DEPLOY_QUERY = query_parameters(
    QueryParameter("pacticipant", "The application to deploy (required)."),
    QueryParameter("version", "Its version number (required)."),
    QueryParameter("environment", "The environment to deploy to (this or `to`)."),
    QueryParameter("to", "The tag to deploy to (this or `environment`)."),
    QueryParameter("ignore[]", "Leave this pacticipant out of the answer.", repeated=True),
)

CAN_I_MERGE_QUERY = query_parameters(
    QueryParameter("version", "The version to merge (default: the head of the main branch)."),
)

GROUP_QUERY = query_parameters(
    QueryParameter(
        "maxPacticipants",
        "Digits: stop after the ring of neighbours that reaches this many pacticipants "
        "(anything else is ignored, as by the Pact Broker).",
    ),
)

FOR_VERIFICATION_QUERY = query_parameters(
    QueryParameter("provider_version_branch", "The branch of the provider version verifying."),
    QueryParameter(
        "provider_version_tags[]", "The tags of the provider version verifying.", repeated=True
    ),
    QueryParameter("include_pending_status", "`true`: say which pacts are pending.", enum=_TRUE),
    QueryParameter(
        "include_wip_pacts_since", "A date (ISO 8601): include work-in-progress pacts since."
    ),
)

CURRENT_PLACEMENTS_QUERY = query_parameters(
    QueryParameter("pacticipant", "Only this pacticipant's versions."),
    QueryParameter("version", "Only this version (releases only)."),
    QueryParameter(
        "applicationInstance",
        "Only this application instance; empty means deployments without an instance.",
    ),
    QueryParameter("target", "The former name of `applicationInstance`."),
)
