"""The suite's V3 HTTP-matching feature (content type and accept headers), against accord's
pact parser and matching engine."""

from pytest_bdd import scenarios

from tests.compatibility.matching_steps import define_matching_steps
from tests.compatibility.suite import feature

define_matching_steps("V3")

scenarios(feature("V3/http_matching.feature"))
