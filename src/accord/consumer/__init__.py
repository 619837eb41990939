"""Consumer side: a pytest plugin on pact-python, the session-owned pact directory, publishing.

The plugin (``accord.consumer.plugin``, pytest entry point ``accord``) gives tests the ``pact``
and ``pact_factory`` fixtures. Importing this package does not load pact-python.
"""

from accord.consumer.merge import PactPiece, merge_pieces
from accord.consumer.messages import ReceivedMessage, SyncMessage
from accord.consumer.pact_dir import FinalizedPacts, PactDirectory
from accord.consumer.publish import PublishedPact, PublishOptions, publish_pacts

__all__ = [
    "FinalizedPacts",
    "PactDirectory",
    "PactPiece",
    "PublishOptions",
    "PublishedPact",
    "ReceivedMessage",
    "SyncMessage",
    "merge_pieces",
    "publish_pacts",
]
