"""``make demo``: the whole contract-testing pipeline of the example bank, narrated.

``run_demo.py`` is the entry point; ``story.py`` holds the five steps, which the end-to-end
tests (``tests/e2e``) run one by one as well.
"""
