"""For-verification: which pacts a provider build must verify, and what the verifier is told.

The request's consumer version selectors are parsed and expanded (``selectors``), run as one
set-based statement (``queries``), merged by content and marked pending or work-in-progress
(``resolution``, ``pending``, ``wip``), and each pact is given the notices and URL metadata a
verifier prints and sends back (``notices``).
"""
