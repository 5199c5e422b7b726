"""The team of a process: members and roles, invitations by address, accepted team requests.

A member is a person with an account. Someone invited by address (or accepted through a
team request before having an account) becomes a member when they sign in with that
address: the mailed code proves it, so no invitation token of our own is needed.
"""

import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from interlink_blocks.accounts.services import verified_email
from interlink_blocks.participation.emails import absolute, call_language
from interlink_blocks.participation.emails import queue as queue_mail
from interlink_blocks.participation.models import Participant
from interlink_blocks.participation.models.participants import normalise_email

from ..models import Invitation, Membership, Process, ProcessRole, Verb
from .log import record

logger = logging.getLogger(__name__)


def default_name(user) -> str:
    participant = Participant.objects.filter(user=user).only("display_name").first()
    if participant and participant.display_name:
        return participant.display_name
    return user.get_full_name() or (user.email or user.get_username()).split("@")[0]


@transaction.atomic
def add_member(
    process: Process, user, role=ProcessRole.MEMBER, team_role: str = "", name: str = "", by=None
) -> Membership:
    """Makes ``user`` a member (or updates their role if they are one already)."""
    membership = Membership.objects.filter(process=process, user=user).first()
    if membership is not None:
        if membership.role != role:
            change_role(membership, role, by)
        return membership
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                process=process,
                user=user,
                role=role,
                team_role=team_role,
                name=(name or default_name(user))[:120],
            )
    except IntegrityError:
        return Membership.objects.get(process=process, user=user)
    record(process, by, Verb.MEMBER_ADDED, subject=membership.name, role=role, member_user=user.pk)
    return membership


@transaction.atomic
def change_role(membership: Membership, role: str, by) -> None:
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        membership.process,
        by,
        Verb.ROLE_CHANGED,
        subject=membership.name,
        role=role,
        member_user=membership.user_id,
    )


@transaction.atomic
def remove_member(membership: Membership, by) -> None:
    """Removes a member: their access ends with their next request."""
    record(
        membership.process,
        by,
        Verb.MEMBER_REMOVED,
        subject=membership.name,
        member_user=membership.user_id,
    )
    membership.delete()


def invite(
    process: Process,
    email: str,
    role=ProcessRole.MEMBER,
    team_role: str = "",
    name: str = "",
    by=None,
    mail: bool = True,
) -> Invitation | Membership:
    """Invites an address: a member at once if an account already proved it, else an
    invitation that signing in with it accepts. The person is mailed either way."""
    email = normalise_email(email)
    from allauth.account.models import EmailAddress

    proven = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user")
    address = proven.first()
    if address is not None:
        result: Invitation | Membership = add_member(
            process, address.user, role=role, team_role=team_role, name=name, by=by
        )
    else:
        result, _created = Invitation.objects.update_or_create(
            process=process,
            email=email,
            accepted_at=None,
            defaults={"role": role, "team_role": team_role, "name": name, "invited_by": by},
        )
        record(process, by, Verb.INVITED, subject=name or email.split("@")[0], role=role)
    if mail:
        queue_mail(
            "interlink_workspace/emails/invitation",
            [email],
            {
                "call": process.call,
                "role": ProcessRole(role).label,
                "sign_in_url": absolute(reverse("account_request_login_code"))
                + "?next="
                + reverse("interlink_workspace:overview", args=[process.pk]),
            },
            language=call_language(process.call),
        )
    return result


def accept_invitations(user) -> list[Membership]:
    """Turns the invitations to the account's verified address into memberships."""
    email = verified_email(user)
    if email is None:
        return []
    memberships = []
    for invitation in Invitation.objects.filter(
        email=email, accepted_at__isnull=True
    ).select_related("process"):
        memberships.append(
            add_member(
                invitation.process,
                user,
                role=invitation.role,
                team_role=invitation.team_role,
                name=invitation.name,
                by=invitation.invited_by,
            )
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return memberships


def team_request_decided(team_request, accepted: bool) -> None:
    """An accepted team request makes its author a member (opening the process if needed);
    a decision changed to declined takes their place away again."""
    from .tree import open_process

    participant = team_request.participant
    if accepted:
        process = open_process(team_request.call)
        values = {"team_role": team_request.role, "name": team_request.name}
        if participant.user_id:
            add_member(process, participant.user, **values)
        elif participant.email:
            invite(process, participant.email, **values, mail=True)
        return
    existing = Process.objects.filter(call=team_request.call).first()
    if existing is None:
        return
    process = existing
    if participant.user_id:
        membership = Membership.objects.filter(process=process, user=participant.user_id).first()
        if membership is not None and membership.role != ProcessRole.ADMIN:
            remove_member(membership, None)
    if participant.email:
        Invitation.objects.filter(
            process=process, email=participant.email, accepted_at__isnull=True
        ).delete()


def forget_person(participant, requested: bool = True) -> None:
    """A person deleted their data: their memberships and invitations go, and the log keeps
    what they did without their name (``interlink_delete_personal_data`` hook). The retention
    period of participation data alone (``requested=False``) leaves the team alone: an
    account's own retention (``accounts.services.prune``) deletes it with its memberships."""
    from ..models import Activity

    if not requested:
        return
    if participant.email:
        Invitation.objects.filter(email=participant.email).delete()
    if participant.user_id:
        from ..models import Message

        # Their messages stay in the threads without their name, like their log entries.
        Message.objects.filter(author_user=participant.user_id).update(author_user=None)
        Membership.objects.filter(user=participant.user_id).delete()
        Activity.objects.filter(data__member_user=participant.user_id).update(subject="")
