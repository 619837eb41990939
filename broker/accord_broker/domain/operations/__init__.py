"""Operations: what the people who run a broker need, rather than what contract tests ask.

Data retention (``cleanup``), API tokens (``tokens``), the ``pb:metrics`` figures (``metrics``)
and the readiness checks on the database and the webhook backlog (``health``).
"""
