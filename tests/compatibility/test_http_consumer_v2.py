"""The suite's V2 HTTP consumer feature, run against accord's consumer side."""

from pytest_bdd import scenarios

from tests.compatibility.http_consumer_steps import define_http_consumer_steps
from tests.compatibility.suite import feature

define_http_consumer_steps("V2")

scenarios(feature("V2/http_consumer.feature"))
