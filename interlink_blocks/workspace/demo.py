"""The demo node's running process: the home-care call's team at work (``load_demo``).

Its member signs in at /accounts/login/ with the password below, or by code (the demo prints
mails on the console).
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from interlink_blocks.accounts.services import link_participant
from interlink_blocks.models import CallPage

from .access import access_for
from .models import Membership, Process, ProcessRole, Task, WorkStatus
from .services import discussion, team, tree

DEMO_CALL = "home-care-requests"
DEMO_MEMBER_EMAIL = "member@valmora.example"
DEMO_MEMBER_PASSWORD = "demo-member"  # noqa: S105 - the documented demo login

# (address, name, role, team role); the first is the demo login.
TEAM = [
    (DEMO_MEMBER_EMAIL, "Lina Ozola", ProcessRole.MEMBER, "citizen"),
    ("marta@valmora.example", "Marta Rossi", ProcessRole.ADMIN, "civil_servant"),
    ("jonas@valmora.example", "Jonas Berzins", ProcessRole.MEMBER, "business"),
    ("carmen@valmora.example", "Carmen Ruiz", ProcessRole.MEMBER, "non_profit"),
    ("elena@valmora.example", "Elena Bianchi", ProcessRole.OBSERVER, "researcher"),
]

# Per phase: the days (from today) its tasks start and end, spread over them, and a status.
SCHEDULE = {
    "engage": (-120, -50, WorkStatus.DONE),
    "design": (-45, 25, None),
    "build": (30, 150, WorkStatus.PLANNED),
    "sustain": (160, 260, WorkStatus.PLANNED),
}


def account(email: str, name: str, password: str = ""):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email.split("@")[0], email, password or None)
        if not password:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    participant = link_participant(user)
    if participant is not None and not participant.display_name:
        participant.display_name = name
        participant.save(update_fields=["display_name"])
    return user


@transaction.atomic
def load(staff=None) -> dict[str, int]:
    """Opens the demo call's process with a team, dates, statuses and assignments (once)."""
    call = CallPage.objects.filter(slug=DEMO_CALL, locale__language_code="en").first()
    if call is None or Process.objects.filter(call=call).exists():
        return {}
    process = tree.open_process(call, by=staff)
    memberships = []
    for email, name, role, team_role in TEAM:
        password = DEMO_MEMBER_PASSWORD if email == DEMO_MEMBER_EMAIL else ""
        user = account(email, name, password)
        memberships.append(
            team.add_member(process, user, role=role, team_role=team_role, name=name, by=staff)
        )
    workers = [m for m in memberships if m.role != ProcessRole.OBSERVER]
    today = timezone.localdate()
    tasks = list(
        Task.objects.filter(process=process)
        .select_related("objective__phase")
        .order_by("objective__phase__position", "objective__position", "position")
    )
    for phase, (first, last, status) in SCHEDULE.items():
        in_phase = [t for t in tasks if t.objective.phase.kind == phase]
        step = (last - first) / max(len(in_phase), 1)
        for i, task in enumerate(in_phase):
            start = today + datetime.timedelta(days=round(first + i * step))
            end = start + datetime.timedelta(days=max(round(step * 1.5), 7))
            if status is None:  # the current phase: the first done, some under way
                state = [WorkStatus.DONE, WorkStatus.IN_PROGRESS, WorkStatus.IN_PROGRESS]
                task_status = state[i] if i < len(state) else WorkStatus.PLANNED
            else:
                task_status = status
            actor = workers[i % len(workers)]
            tree.update_task(task, actor.user, start_date=start, end_date=end, status=task_status)
            tree.assign(task, [actor], memberships[1].user)
    tree.restrict_phase(process.phases.get(kind="sustain"), ["civil_servant"], staff)
    talk(process, memberships, tasks)
    Membership.objects.filter(process=process).update(
        last_seen_at=timezone.now() - datetime.timedelta(days=3)
    )
    return {"workspace processes": 1, "team members": len(memberships)}


def talk(process, memberships, tasks) -> None:
    """A discussion on the first task under way: the admin mentions the demo member, who
    answers (the mention is in the demo member's notifications)."""
    task = next((t for t in tasks if t.status == WorkStatus.IN_PROGRESS), tasks[0])
    marta, lina, jonas = memberships[1], memberships[0], memberships[2]
    for who, text in [
        (
            marta,
            f"@{lina.name} could you test the draft request form with two neighbours "
            "this week? Notes here are enough.",
        ),
        (lina, "Yes. I will try it on paper and on a phone, and write down where people stop."),
        (jonas, f"@{marta.name} the phone version still asks for the tax number twice."),
    ]:
        discussion.post(task, access_for(who.user, process), text)
