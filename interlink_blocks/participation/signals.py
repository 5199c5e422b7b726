"""Signals other apps react to (federation announces approved contributions, search indexes them).

Each is sent with ``sender=Contribution`` and ``contribution=<the instance>``.
"""

from django.dispatch import Signal

#: A contribution became publicly visible (approved by staff).
contribution_approved = Signal()
#: Its author withdrew a contribution.
contribution_withdrawn = Signal()
#: A visible contribution stopped being visible: rejected, hidden or deleted (``reason`` given).
contribution_removed = Signal()
#: Staff published or changed the official answer to a contribution.
contribution_answered = Signal()
