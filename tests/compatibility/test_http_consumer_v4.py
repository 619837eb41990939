"""The suite's V4 HTTP consumer and general V4 features, run against accord's consumer side."""

from pytest_bdd import scenarios

from tests.compatibility.http_consumer_steps import define_http_consumer_steps
from tests.compatibility.suite import feature

define_http_consumer_steps("V4")

scenarios(feature("V4/http_consumer.feature"), feature("V4/v4.feature"))
