"""Bi-directional contract testing: provider contracts (OpenAPI) and their comparisons.

A provider publishes its OpenAPI document with the result of its own tests of it
(``publication``, the body read by ``request``); the broker compares it with consumer pacts
(``comparison``, cached per pair of contents) for the versions release questions ask about
(``relevance``), and records each verdict as a verification result (``results``), so the
matrix and can-i-deploy count it. A publication compares what fits in its time budget and
queues the other pairs (``pending``) for the background ``worker``, which records them within
seconds. ``views`` reads what the API and the UI show.
"""

from accord_broker.domain.provider_contracts.publication import (
    ProviderContractPublished,
    compare_new_pact,
    publish_provider_contract,
)
from accord_broker.domain.provider_contracts.request import (
    ProviderContractRequest,
    provider_contract_request,
    read_provider_contract_request,
)
from accord_broker.domain.provider_contracts.results import is_comparison

__all__ = [
    "ProviderContractPublished",
    "ProviderContractRequest",
    "compare_new_pact",
    "is_comparison",
    "provider_contract_request",
    "publish_provider_contract",
    "read_provider_contract_request",
]
