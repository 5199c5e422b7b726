"""Who may do what in a process: one place that views, the API and other apps ask.

| who | sees the public progress | sees the workspace | updates tasks | changes plan and team |
| --- | --- | --- | --- | --- |
| anyone | yes | no | no | no |
| observer | yes | yes | no | no |
| member | yes | yes | where their team role may | no |
| process admin, staff | yes | yes | yes | yes |

Staff are Wagtail users who may edit the call's page: they are process admins without a
membership. A removed member has no membership, so loses access with their next request:
access is read from the database on every request, never cached in the session.

Other apps (decisions, #18) use ``access_for(user, process)`` and ``eligible_members``.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .models import Membership, Process, ProcessRole, Task


@dataclass
class Access:
    process: Process
    user: Any
    membership: Membership | None
    is_staff: bool

    @property
    def role(self) -> str | None:
        if self.is_staff:
            return ProcessRole.ADMIN
        return self.membership.role if self.membership else None

    @property
    def role_label(self) -> str:
        return str(ProcessRole(self.role).label) if self.role else ""

    @property
    def can_view(self) -> bool:
        return self.role is not None

    @property
    def can_manage(self) -> bool:
        return self.role == ProcessRole.ADMIN

    @property
    def can_contribute(self) -> bool:
        """May update tasks at all (each task may narrow it further: ``can_edit_task``)."""
        return self.role in (ProcessRole.ADMIN, ProcessRole.MEMBER)

    def can_edit_task(self, task: Task, phase_editable_by: list | None = None) -> bool:
        """Whether this person may update ``task`` (status, dates, assignments).

        A task's ``editable_by`` (or else its phase's) names the team roles allowed; empty
        means every member. Admins always may. ``phase_editable_by`` saves a query when the
        caller has the phase at hand.
        """
        if self.can_manage:
            return True
        if self.role != ProcessRole.MEMBER:
            return False
        allowed = task.editable_by or (
            phase_editable_by if phase_editable_by is not None else task.objective.phase.editable_by
        )
        team_role = self.membership.team_role if self.membership else ""
        return not allowed or team_role in allowed

    @cached_property
    def name(self) -> str:
        if self.membership:
            return self.membership.name
        return self.user.get_full_name() or self.user.get_username()


def is_call_staff(user, call) -> bool:
    """Whether ``user`` may edit the call's page in Wagtail (and so runs its process)."""
    if not user.is_authenticated or not (user.is_staff or user.is_superuser):
        # Wagtail editors are users with admin access; public accounts never are.
        if not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
            return False
    return call.permissions_for_user(user).can_edit()


def access_for(user, process: Process) -> Access:
    membership = None
    if user is not None and user.is_authenticated:
        membership = Membership.objects.filter(process=process, user=user).first()
    staff = user is not None and is_call_staff(user, process.call)
    return Access(process=process, user=user, membership=membership, is_staff=staff)


def eligible_members(process: Process, roles=(ProcessRole.ADMIN, ProcessRole.MEMBER)):
    """The memberships that take part in the team's decisions (observers do not)."""
    return process.memberships.filter(role__in=roles)
