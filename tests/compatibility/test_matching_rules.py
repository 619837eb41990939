"""The suite's V3 matching-rule features, run against accord's pact parser and matching engine.

The expected side is written as a V3 pact, so its rules are read as a V3 pact file carries them.
"""

from pytest_bdd import scenarios

from tests.compatibility.matching_steps import define_matching_steps
from tests.compatibility.suite import feature

define_matching_steps("V3")

scenarios(feature("V3/matching_rules.feature"))
