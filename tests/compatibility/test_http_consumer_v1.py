"""The suite's V1 HTTP consumer feature, run against accord's consumer side."""

from pytest_bdd import scenarios

from tests.compatibility.http_consumer_steps import define_http_consumer_steps
from tests.compatibility.suite import feature

define_http_consumer_steps("V1")

scenarios(feature("V1/http_consumer.feature"))
