"""Versions of a pacticipant and what names them: branches, tags and their effects.

Versions (``versions``), branches and branch heads (``branches``), tags and tag heads
(``tags``), what a tag means when it names an environment or a branch (``tag_effects``), and
a version's verification status (``version_status``).
"""
