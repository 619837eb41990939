"""Verification results: what a provider version reported about a pact version.

Recording results singly or as a set (``verifications``), the per-branch record of successful
verifications that pending and WIP probe (``branch_verifications``), and the read model of a
result's page (``verification_page``).
"""
