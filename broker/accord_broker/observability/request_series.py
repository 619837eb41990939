"""The per-route request families of ``/metrics``, kept so that a scrape costs little.

Every route template and method the broker has answered is a series: a request counter per
status class and a latency histogram of 15 buckets, about 20 lines each, so a broker that has
served its ~180 routes writes ~3,000 lines per scrape. prometheus-client's generic path built a
labelled sample object for each and escaped and sorted its labels again, every scrape: 25 ms of
a 26 ms scrape (issue #20). Here each series renders its label sets once, when it is first
observed; a scrape copies the counts under a lock and joins those prefixes with the numbers.

The text is the same, byte for byte, as prometheus-client writes for a ``Counter`` and a
``Histogram`` with the same observations (``tests/broker/test_route_cost_metrics.py`` checks
both formats against them), and :meth:`RequestSeries.collect` yields the same samples, so the
separate metrics port, which renders through prometheus-client, serves the same figures. With
several worker processes the counters live in prometheus-client's shared files instead
(:class:`~accord_broker.observability.metrics.BrokerMetrics` keeps its ``Counter`` and
``Histogram`` there).
"""

import threading
import time
from collections.abc import Iterable, Iterator

from prometheus_client import Histogram
from prometheus_client import metrics as prometheus_metrics
from prometheus_client import utils as prometheus_utils
from prometheus_client.core import Metric

REQUESTS = "accord_broker_http_requests"
LATENCY = "accord_broker_http_request_duration_seconds"
REQUESTS_HELP = "HTTP requests answered, by route template, method and status class."
LATENCY_HELP = "Time to answer an HTTP request, by route template and method."
BOUNDS = Histogram.DEFAULT_BUCKETS


def go_text(value: float) -> str:
    """A value as prometheus-client writes it (Go's float formatting)."""
    return str(prometheus_utils.floatToGoString(value))  # type: ignore[no-untyped-call]


_LE = tuple(go_text(bound) for bound in BOUNDS)
_EXACT_INTEGERS = 1_000_000
"""Below this a whole count reads ``"<n>.0"``, as ``floatToGoString`` writes it; from here on
it switches to Go's exponent form (``1e+06``), which that function is asked for."""


def _count_text(count: int) -> str:
    """``go_text(float(count))`` without its float work for the common small counts."""
    return f"{count}.0" if count < _EXACT_INTEGERS else go_text(float(count))


def _label_value(value: str) -> str:
    """A label value escaped as both exposition formats escape it."""
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


def _created_series() -> bool:
    """prometheus-client's switch (``PROMETHEUS_DISABLE_CREATED_SERIES``) for ``_created``."""
    return bool(prometheus_metrics._use_created)


class _Requests:
    """One (route, method, status class) counter, its sample lines' beginnings rendered."""

    __slots__ = ("count", "created", "created_prefix", "created_text", "labels", "total_prefix")

    def __init__(self, route: str, method: str, status: str) -> None:
        self.count = 0
        self.created = time.time()
        self.created_text = go_text(self.created)
        self.labels = {"method": method, "route": route, "status": status}
        label_text = (
            f'{{method="{_label_value(method)}",route="{_label_value(route)}",'
            f'status="{_label_value(status)}"}} '
        )
        self.total_prefix = f"{REQUESTS}_total{label_text}"
        self.created_prefix = f"{REQUESTS}_created{label_text}"


class _Latency:
    """One (route, method) histogram: per-bucket counts (not cumulative) and the sum."""

    __slots__ = (
        "bucket_prefixes",
        "buckets",
        "count_prefix",
        "created",
        "created_prefix",
        "created_text",
        "labels",
        "sum_prefix",
        "total",
    )

    def __init__(self, route: str, method: str) -> None:
        self.buckets = [0] * len(BOUNDS)
        self.total = 0.0
        self.created = time.time()
        self.created_text = go_text(self.created)
        self.labels = {"method": method, "route": route}
        pair = f'method="{_label_value(method)}",route="{_label_value(route)}"'
        self.bucket_prefixes = tuple(f'{LATENCY}_bucket{{le="{le}",{pair}}} ' for le in _LE)
        self.count_prefix = f"{LATENCY}_count{{{pair}}} "
        self.sum_prefix = f"{LATENCY}_sum{{{pair}}} "
        self.created_prefix = f"{LATENCY}_created{{{pair}}} "

    def observe(self, seconds: float) -> None:
        self.total += seconds
        for index, bound in enumerate(BOUNDS):
            if seconds <= bound:
                self.buckets[index] += 1
                break


_Snapshot = tuple[list[tuple[_Requests, int]], list[tuple[_Latency, list[int], float]]]


class RequestSeries:
    """Request counts and latencies by route template and method, for one process.

    A prometheus-client collector (``describe``/``collect``) that can also write its two
    families itself (:meth:`text`, :meth:`openmetrics`), which is what ``/metrics`` does.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], _Requests] = {}
        self._latency: dict[tuple[str, str], _Latency] = {}

    def observe(self, route: str, method: str, status: str, seconds: float) -> None:
        """Count one answered request and its time (the label values are taken as given)."""
        with self._lock:
            counter = self._requests.get((route, method, status))
            if counter is None:
                counter = self._requests[route, method, status] = _Requests(route, method, status)
            counter.count += 1
            latency = self._latency.get((route, method))
            if latency is None:
                latency = self._latency[route, method] = _Latency(route, method)
            latency.observe(seconds)

    def _snapshot(self) -> _Snapshot:
        """The counts as of now, copied under the lock so a scrape reads one moment."""
        with self._lock:
            return (
                [(c, c.count) for c in self._requests.values()],
                [(h, list(h.buckets), h.total) for h in self._latency.values()],
            )

    def text(self) -> str:
        """Both families in Prometheus' classic text format (``generate_latest``'s layout:
        the ``_created`` samples of a family follow it as a gauge of their own)."""
        requests, latencies = self._snapshot()
        created = _created_series()
        out = [
            f"# HELP {REQUESTS}_total {_help_text(REQUESTS_HELP)}\n",
            f"# TYPE {REQUESTS}_total counter\n",
        ]
        out.extend(f"{c.total_prefix}{_count_text(n)}\n" for c, n in requests)
        if created and requests:
            out += _created_block(REQUESTS, REQUESTS_HELP)
            out.extend(f"{c.created_prefix}{c.created_text}\n" for c, _ in requests)
        out += [f"# HELP {LATENCY} {_help_text(LATENCY_HELP)}\n", f"# TYPE {LATENCY} histogram\n"]
        for histogram, buckets, total in latencies:
            out.extend(_histogram_lines(histogram, buckets, total, created=False))
        if created and latencies:
            out += _created_block(LATENCY, LATENCY_HELP)
            out.extend(f"{h.created_prefix}{h.created_text}\n" for h, _, _ in latencies)
        return "".join(out)

    def openmetrics(self) -> str:
        """Both families in the OpenMetrics text format (without the final ``# EOF``)."""
        requests, latencies = self._snapshot()
        created = _created_series()
        out = [
            f"# HELP {REQUESTS} {_label_value(REQUESTS_HELP)}\n",
            f"# TYPE {REQUESTS} counter\n",
        ]
        for counter, count in requests:
            out.append(f"{counter.total_prefix}{_count_text(count)}\n")
            if created:
                out.append(f"{counter.created_prefix}{counter.created_text}\n")
        out += [f"# HELP {LATENCY} {_label_value(LATENCY_HELP)}\n", f"# TYPE {LATENCY} histogram\n"]
        for histogram, buckets, total in latencies:
            out.extend(_histogram_lines(histogram, buckets, total, created=created))
        return "".join(out)

    def describe(self) -> Iterable[Metric]:
        return [
            Metric(REQUESTS, REQUESTS_HELP, "counter"),
            Metric(LATENCY, LATENCY_HELP, "histogram"),
        ]

    def collect(self) -> Iterable[Metric]:
        """The samples a ``Counter`` and a ``Histogram`` would give (for prometheus-client's
        own exposition, e.g. the separate metrics port)."""
        requests, latencies = self._snapshot()
        created = _created_series()
        counter_family = Metric(REQUESTS, REQUESTS_HELP, "counter")
        for counter, count in requests:
            counter_family.add_sample(f"{REQUESTS}_total", dict(counter.labels), float(count))
            if created:
                counter_family.add_sample(
                    f"{REQUESTS}_created", dict(counter.labels), counter.created
                )
        histogram_family = Metric(LATENCY, LATENCY_HELP, "histogram")
        for histogram, buckets, total in latencies:
            labels = histogram.labels
            for le, cumulative in zip(_LE, _cumulative(buckets), strict=True):
                histogram_family.add_sample(f"{LATENCY}_bucket", {**labels, "le": le}, cumulative)
            histogram_family.add_sample(f"{LATENCY}_count", dict(labels), float(sum(buckets)))
            histogram_family.add_sample(f"{LATENCY}_sum", dict(labels), total)
            if created:
                histogram_family.add_sample(f"{LATENCY}_created", dict(labels), histogram.created)
        return [counter_family, histogram_family]


def _cumulative(buckets: list[int]) -> Iterator[float]:
    running = 0
    for count in buckets:
        running += count
        yield float(running)


def _histogram_lines(
    histogram: _Latency, buckets: list[int], total: float, *, created: bool
) -> list[str]:
    lines = []
    running = 0
    for prefix, count in zip(histogram.bucket_prefixes, buckets, strict=True):
        running += count
        lines.append(f"{prefix}{_count_text(running)}\n")
    lines.append(f"{histogram.count_prefix}{_count_text(running)}\n")
    lines.append(f"{histogram.sum_prefix}{go_text(total)}\n")
    if created:
        lines.append(f"{histogram.created_prefix}{histogram.created_text}\n")
    return lines


def _help_text(documentation: str) -> str:
    """A ``# HELP`` text as the classic format escapes it (backslash and newline only)."""
    return documentation.replace("\\", r"\\").replace("\n", r"\n")


def _created_block(family: str, documentation: str) -> list[str]:
    return [
        f"# HELP {family}_created {_help_text(documentation)}\n",
        f"# TYPE {family}_created gauge\n",
    ]
