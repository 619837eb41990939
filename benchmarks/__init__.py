"""Benchmarks recorded in docs/benchmarks.md; run each as ``python -m benchmarks.<name>``."""
