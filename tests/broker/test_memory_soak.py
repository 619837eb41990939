"""The memory soak's verdict (``make soak``, benchmarks/soak.py) can fail: growth after warm-up
beyond the bound, a 5xx, or a webhook that never arrived each make it fail loudly. The soak
itself drives 20,000 requests per database and takes minutes, so it runs in ``make soak``, not
here; this checks its judgement and its RSS reading on a real process."""

import os
from collections import Counter

from benchmarks.soak import SoakResult, rss_kib


def _result(*rss_mib: float, statuses: Counter[int] | None = None) -> SoakResult:
    total = 1000 * (len(rss_mib) - 1)
    samples = [(1000 * n, int(mib * 1024)) for n, mib in enumerate(rss_mib)]
    return SoakResult(
        "sqlite", total, samples, statuses or Counter({200: total}), [], 10, webhooks_received=10
    )


def test_flat_memory_after_warm_up_passes() -> None:
    result = _result(100, 120, 121, 122, 125)  # growth before the 25 % mark is warm-up
    assert result.problems(max_growth=0.10) == []
    assert round(result.growth(), 3) == round(125 / 120 - 1, 3)


def test_memory_that_keeps_growing_fails() -> None:
    [problem] = _result(100, 120, 130, 140, 150).problems(max_growth=0.10)
    assert "RSS grew 25.0% from the 25% mark to the end (120.0 -> 150.0 MiB)" in problem


def test_a_server_error_or_a_lost_webhook_fails() -> None:
    result = _result(100, 100, 100, 100, 100)
    result.server_errors.append("GET /ui/ -> 500")
    result.webhooks_received = 9
    problems = result.problems(max_growth=0.10)
    assert any("1 answers were 5xx" in p for p in problems)
    assert any("only 9 of 10 webhooks arrived" in p for p in problems)


def test_rss_is_read_from_proc() -> None:
    assert 1024 < rss_kib(os.getpid()) < 64 * 1024 * 1024
