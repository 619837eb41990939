"""accord: consumer-driven contract testing for Python microservices.

The public face is small on purpose: the pact model, the matching engine and the error tree.
Subpackages (`accord.verifier`, `accord.broker_client`, `accord.consumer`, `accord.testing`)
name their own public API in their ``__init__``.
"""

from accord.errors import AccordError, PactFormatError

__version__ = "0.1.0"

__all__ = ["AccordError", "PactFormatError", "__version__"]
