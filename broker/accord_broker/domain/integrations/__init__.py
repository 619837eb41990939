"""Integrations: a consumer and a provider that share a pact, and how each line stands.

Listing and deleting integrations (``integrations``), the status of a pact line
(``integration_status``), the index page's rows (``overview``), the network page (``network``)
and the badges drawn from the same status and from can-i-deploy (``badges``).
"""
