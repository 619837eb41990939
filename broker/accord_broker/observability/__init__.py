"""What operators see of a running broker: Prometheus metrics, structured logs, traces.

- :mod:`.metrics` — the metric families (no web framework: the domain's webhook worker and the
  HTTP layer both record into them) and the exposition, single- or multi-process.
- :mod:`.logs` — the one logging configuration (``ACCORD_BROKER_LOG_FORMAT=json|text``), the
  request id, and the redaction that keeps secrets out of every line.
- :mod:`.http` — the ASGI middleware: request id, access line, request metrics by route
  template, and ``/metrics`` in Prometheus' formats when a scraper asks for them.
- :mod:`.tracing` — OpenTelemetry, imported only when ``OTEL_*`` variables ask for it.
"""
