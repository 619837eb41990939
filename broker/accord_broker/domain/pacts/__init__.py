"""Pacts: what consumers publish and how it is found again.

The ``/contracts/publish`` body (``contracts``), finding the latest pact by tag, branch or
consumer version (``pacts``, ``branch_pacts``), a pact's neighbours in time and what changed
between two of them (``pact_history``, ``diff``, ``pact_changes``), and the provider states a
provider's pacts ask for (``provider_states``). Storing a publication and checking its content
(``publication``, ``pact_content``) still sit at the domain's root until the packages that
import them can move with them.
"""
