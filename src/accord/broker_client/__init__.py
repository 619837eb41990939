"""A small HAL client for any Pact Broker (ours, the Ruby Pact Broker, PactFlow)."""

from accord.broker_client.auth import BrokerAuth, auth_from_env
from accord.broker_client.client import BrokerClient, expand_href

__all__ = ["BrokerAuth", "BrokerClient", "auth_from_env", "expand_href"]
