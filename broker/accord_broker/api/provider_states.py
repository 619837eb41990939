"""``GET /pacts/provider/{provider}/provider-states`` (also ``/branch/{b}``, ``/environment/{e}``):
the provider states a provider's pacts use, for ``pact broker provider-states list``."""

from typing import Any

from fastapi import APIRouter, Request

from accord_broker.api.hal import HalResponse
from accord_broker.domain.pacts.provider_states import ProviderStateUse, list_provider_states
from accord_broker.web.context import unit_of_work

router = APIRouter()
STATES = "/pacts/provider/{provider:seg}/provider-states"


def _render(states: list[ProviderStateUse]) -> dict[str, Any]:
    """The Pact Broker's body: ``params`` only when the state has some, as it renders them."""
    entries: list[dict[str, Any]] = []
    for state in states:
        entry: dict[str, Any] = {"name": state.name}
        if state.params is not None:
            entry["params"] = state.params
        entry["consumers"] = list(state.consumers)
        entries.append(entry)
    return {"providerStates": entries}


def _answer(
    request: Request, provider: str, *, branch: str | None = None, environment: str | None = None
) -> HalResponse:
    with unit_of_work(request).read() as session:
        states = list_provider_states(session, provider, branch=branch, environment=environment)
    return HalResponse(_render(states))


@router.get(STATES)
def provider_states_main_branch(request: Request, provider: str) -> HalResponse:
    """From the latest pact of each consumer's main branch."""
    return _answer(request, provider)


@router.get(STATES + "/branch/{branch:seg}")
def provider_states_for_branch(request: Request, provider: str, branch: str) -> HalResponse:
    """From the latest pact of each consumer's branch called ``branch``."""
    return _answer(request, provider, branch=branch)


@router.get(STATES + "/environment/{environment:seg}")
def provider_states_for_environment(
    request: Request, provider: str, environment: str
) -> HalResponse:
    """From the pacts of the consumer versions deployed or released in ``environment`` (by name)."""
    return _answer(request, provider, environment=environment)
