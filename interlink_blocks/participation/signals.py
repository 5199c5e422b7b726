"""Signals other apps react to (federation announces approved contributions, search indexes
them, the workspace turns accepted team members into members of the call's process).

The contribution signals are sent with ``sender=Contribution`` and ``contribution=<the
instance>``; ``team_request_decided`` with ``sender=TeamRequest``, ``team_request=`` and
``accepted=``.
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
#: Staff accepted or declined a request to join a call's team (or changed their decision).
team_request_decided = Signal()
