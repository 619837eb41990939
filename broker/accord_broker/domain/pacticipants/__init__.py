"""Pacticipants: the services that take part in contracts.

Creating, renaming and deleting them (``pacticipants``), the paged listing (``pacticipant_list``),
a pacticipant's page of versions with their verification status (``pacticipant_overview``) and
labels (``labels``).
"""
