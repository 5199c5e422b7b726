"""Accounts and the participation records behind them.

An account is django-allauth's: a ``User`` with one address (``EmailAddress``), verified
when the person types the code mailed to it. Only a verified address links an account to
the ``Participant`` of the same address: typing an address proves nothing, the code does.
Accounts made here never get the Wagtail admin: no staff flag, no group, no permission.
"""

import datetime
import logging

from allauth.account.models import EmailAddress
from allauth.account.utils import user_email, user_username
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from interlink_blocks.participation.models import Participant
from interlink_blocks.participation.models.participants import normalise_email

from . import conf

logger = logging.getLogger(__name__)


def has_admin_access(user) -> bool:
    """Whether the account opens the Wagtail admin (staff): such accounts sign in there,
    with their password, never by a mailed code, and are not deleted from the public site."""
    return bool(user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def verified_email(user) -> str | None:
    """The account's address once proven by a code (its primary one first), else None."""
    if user is None or not user.is_authenticated:
        return None
    address = (
        EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk").first()
    )
    return normalise_email(address.email) if address else None


def create_account(email: str):
    """A new account for ``email``, not yet verified, without a usable password.

    Made when someone asks for a sign-in code for an address we do not know: the code sent
    to it verifies the address and signs them in. Unused accounts are pruned
    (``prune_unused``).
    """
    from allauth.account.adapter import get_adapter

    email = normalise_email(email)
    user = get_user_model()()
    user_email(user, email)
    user_username(user, "")
    get_adapter().populate_username(None, user)
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    except IntegrityError:
        # Asked twice at once: the other request made it.
        existing = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        if existing is None:
            raise
        return existing.user
    logger.info("Accounts: account %s created for a sign-in code", user.pk)
    return user


@transaction.atomic
def link_participant(user) -> Participant | None:
    """Links the account to the participation record of its verified address.

    A person who took part before having an account (confirmed by mailed links) finds their
    contributions, supports, team requests and subscriptions under the account. A record of
    the same address held by another account is left alone.
    """
    email = verified_email(user)
    if email is None:
        return Participant.objects.filter(user=user).first()
    mine = Participant.objects.select_for_update().filter(user=user).first()
    by_address = Participant.objects.select_for_update().filter(email=email).first()
    if by_address is not None and by_address.user_id not in (None, user.pk):
        return mine
    now = timezone.now()
    if mine is None and by_address is None:
        return Participant.objects.create(
            user=user, email=email, email_confirmed_at=now, last_active_at=now
        )
    person: Participant
    if mine is None:
        person = by_address  # type: ignore[assignment]  # not None: both None returned above
    else:
        if by_address is not None and by_address.pk != mine.pk:
            _merge(by_address, into=mine)
        person = mine
    person.user, person.email = user, email
    person.email_confirmed_at = person.email_confirmed_at or now
    person.last_active_at = now  # signing in is activity: retention counts from it
    person.save(update_fields=["user", "email", "email_confirmed_at", "last_active_at"])
    return person


def _merge(other: Participant, into: Participant) -> None:
    """Moves what ``other`` did to ``into`` (one person, two records), then deletes ``other``.

    Where both did the same once-only thing (a support, a team request for one call, a
    subscription), the account's record keeps its own.
    """
    other.contributions.update(participant=into)
    for support in other.supports.all():
        if not into.supports.filter(call=support.call_id, contribution=support.contribution_id):
            support.participant = into
            support.save(update_fields=["participant"])
    for request in other.team_requests.all():
        if not into.team_requests.filter(call=request.call_id).exists():
            request.participant = into
            request.save(update_fields=["participant"])
    for subscription in other.subscriptions.all():
        if not into.subscriptions.filter(call=subscription.call_id).exists():
            subscription.participant = into
            subscription.save(update_fields=["participant"])
    into.display_name = into.display_name or other.display_name
    into.save(update_fields=["display_name"])
    email = other.email
    other.delete()
    logger.info(
        "Accounts: participant records of %s merged into %s", email and "an address", into.pk
    )


def account_data(participant: Participant) -> dict:
    """The account's part of a person's data download (``interlink_personal_data`` hook)."""
    user = participant.user
    if user is None:
        return {}
    return {
        "account": {
            "username": user.get_username(),
            "addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user)
            ],
            "has_password": user.has_usable_password(),
            "created_at": user.date_joined.isoformat(),
            "last_sign_in": user.last_login.isoformat() if user.last_login else None,
        }
    }


def delete_account_of(participant: Participant, requested: bool = True) -> None:
    """Deletes the public account behind a participant whose data the person asked to delete
    (``interlink_delete_personal_data`` hook). Staff accounts belong to the site and stay; an
    account's own retention runs from its last sign-in (``prune``)."""
    user = participant.user
    if requested and user is not None and not has_admin_access(user):
        logger.info("Accounts: account %s deleted with its data", user.pk)
        user.delete()


def delete_account(user) -> None:
    """Everything about a person who asked from their account: participation data (see
    ``privacy.delete_participant``; approved contributions stay as "deleted participant"),
    other apps' data through the hook, and the account itself."""
    from interlink_blocks.participation.services import privacy

    participant = Participant.objects.for_user(user)
    privacy.delete_participant(participant, keep_approved=True)
    get_user_model().objects.filter(pk=user.pk).delete()


def prune(now: datetime.datetime | None = None) -> dict[str, int]:
    """Deletes accounts made by asking for a code and never signed into, after
    ``ACCOUNTS_UNUSED_DAYS`` (addresses typed by someone who never proved them), and public
    accounts not signed into for ``PARTICIPATION_RETENTION_DAYS``, with their data."""
    now = now or timezone.now()
    return {"unused": _prune_unused(now), "inactive": _prune_inactive(now)}


def _prune_inactive(now: datetime.datetime) -> int:
    from interlink_blocks.participation import conf as participation_conf

    before = now - datetime.timedelta(days=participation_conf.get("PARTICIPATION_RETENTION_DAYS"))
    count = 0
    stale = get_user_model().objects.filter(
        last_login__lt=before, is_staff=False, is_superuser=False
    )
    for user in stale:
        if not has_admin_access(user):
            delete_account(user)
            count += 1
    return count


def _prune_unused(now: datetime.datetime) -> int:
    before = now - datetime.timedelta(days=conf.get("ACCOUNTS_UNUSED_DAYS"))
    unused = (
        get_user_model()
        .objects.filter(
            last_login__isnull=True,
            date_joined__lt=before,
            is_staff=False,
            is_superuser=False,
            emailaddress__verified=False,
        )
        .exclude(emailaddress__verified=True)
    )
    ids = [user.pk for user in unused if not user.has_usable_password()]
    deleted = (
        get_user_model().objects.filter(pk__in=ids).delete()[1].get(get_user_model()._meta.label, 0)
    )
    return deleted
