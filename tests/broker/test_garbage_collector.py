"""The server's collector policy (``accord_broker.garbage``), in a fresh interpreter each, since
it changes the collector of the whole process."""

import json
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import gc, json, sys
    from accord_broker.garbage import settle_garbage_collector

    settle_garbage_collector(warm_up_freezes=int(sys.argv[1]))
    frozen_at_start = gc.get_freeze_count()
    warmed = [[i] for i in range(50_000)]  # what the first requests build and keep
    gc.collect()
    after_first = gc.get_freeze_count()
    later = [[i] for i in range(20_000)]
    gc.collect()
    print(json.dumps({
        "at_start": frozen_at_start,
        "after_first": after_first,
        "after_second": gc.get_freeze_count(),
        "scanned_after": len(gc.get_objects()),
    }))
    """
)


def probe(warm_up_freezes: int) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(warm_up_freezes)],
        capture_output=True,
        text=True,
        check=True,
    )
    counts: dict[str, int] = json.loads(done.stdout)
    return counts


def test_what_the_app_keeps_after_its_first_requests_leaves_the_collectors_scans() -> None:
    counts = probe(warm_up_freezes=8)

    assert counts["at_start"] > 0
    assert counts["after_first"] - counts["at_start"] >= 50_000
    assert counts["scanned_after"] < 5_000


def test_only_the_first_full_collections_freeze() -> None:
    counts = probe(warm_up_freezes=1)

    assert counts["after_first"] - counts["at_start"] >= 50_000
    assert counts["after_second"] == counts["after_first"]
    assert counts["scanned_after"] >= 20_000


def test_without_warm_up_freezes_only_the_built_app_is_frozen() -> None:
    counts = probe(warm_up_freezes=0)

    assert counts["after_first"] == counts["at_start"]
    assert counts["scanned_after"] >= 70_000
