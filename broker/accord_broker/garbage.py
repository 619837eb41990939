"""The server process's garbage collector: what the broker keeps alive stays out of its scans.

A full collection walks every tracked object that is not frozen. Freezing once the app is
built is not enough: the first requests build as many long-lived objects again (SQLAlchemy's
compiled statements and their column maps, Jinja's compiled templates, pydantic's validators),
about 170,000 in the scale benchmark's mix. Each full collection then walked them all, an
80 ms pause every few dozen requests: the slowest requests of every route.

So the broker also freezes what survives each of its first full collections, the moment the
collector has just thrown away everything that was garbage. Objects frozen this way are still
freed as usual when their last reference goes; only a reference cycle among them would never
be collected. Those few freezes can therefore pin at most the cycles of the requests in flight
at those moments, a bounded few kilobytes, against a pause that otherwise never goes away.
"""

import gc
from typing import Any

WARM_UP_FREEZES = 8
"""How many full collections freeze their survivors. The long-lived population stops growing
once each route has been asked (the scale benchmark's mix: after its first round); a few
freezes cover a warm-up that comes in waves."""


class _FreezeSurvivors:
    """A ``gc.callbacks`` entry freezing what survives a full collection, ``remaining`` times."""

    def __init__(self, remaining: int) -> None:
        self.remaining = remaining

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase != "stop" or info["generation"] != 2 or self.remaining <= 0:
            return
        self.remaining -= 1
        gc.freeze()


def settle_garbage_collector(*, warm_up_freezes: int = WARM_UP_FREEZES) -> None:
    """Freeze what is alive once the app is built, and what survives the first full
    collections while requests warm the process up; for a server process only."""
    gc.collect()
    gc.freeze()
    if not any(isinstance(callback, _FreezeSurvivors) for callback in gc.callbacks):
        gc.callbacks.append(_FreezeSurvivors(warm_up_freezes))
