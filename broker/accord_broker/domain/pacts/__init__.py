"""Pacts: what consumers publish and how it is found again.

The ``/contracts/publish`` body (``contracts``), finding the latest pact by tag, branch or
consumer version (``pacts``, ``branch_pacts``), a pact's neighbours in time and what changed
between two of them (``pact_history``, ``diff``, ``pact_changes``), and the provider states a
provider's pacts ask for (``provider_states``), and storing a publication and checking its
content (``publication``, ``pact_content``).
"""
