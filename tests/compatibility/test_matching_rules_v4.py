"""The suite's V4 matching-rule features, run against accord's pact parser and matching engine.

The expected side is written as a V4 pact (body objects, list-valued headers), so V4-only
matchers (statusCode, notEmpty, semver, eachKey, eachValue, arrayContains) are read from V4
JSON. A module of its own because pytest-bdd steps are per module and these steps write V4.
"""

from pytest_bdd import scenarios

from tests.compatibility.matching_steps import define_matching_steps
from tests.compatibility.suite import feature

define_matching_steps("V4")

scenarios(feature("V4/matching_rules.feature"))
