"""Signal receivers: keep approved contributions when a person is deleted (from anywhere), and
tell subscribers when a published call changes phase or status."""

import logging

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from interlink_blocks.fragments import invalidate
from interlink_blocks.models import CallPage

from . import emails
from .models import (
    CallWatch,
    Contribution,
    ContributionState,
    Participant,
    Report,
    Support,
    TeamRequest,
)

logger = logging.getLogger(__name__)

# The call page's cached participation section shows contributions (hidden after reports),
# supports, the team and participants' names: any change to them starts a new generation.
for model in (Contribution, Support, Report, TeamRequest, Participant):
    post_save.connect(invalidate, sender=model, dispatch_uid=f"participation_fragments_{model}")
    post_delete.connect(invalidate, sender=model, dispatch_uid=f"participation_fragments_{model}")


@receiver(pre_delete, sender=Participant)
def keep_approved_contributions(sender, instance, **kwargs):
    """Approved contributions become "deleted participant"; unpublished ones go with the person.

    Runs for every deletion path: the self-service link, the admin, a deleted account, pruning.
    """
    instance.contributions.filter(state=ContributionState.APPROVED).update(
        participant=None, author_name="", anonymous=False, author_deleted=True
    )
    instance.contributions.exclude(state=ContributionState.APPROVED).delete()


@receiver(page_published, sender=CallPage)
def announce_call_changes(sender, instance, **kwargs):
    watch, created = CallWatch.objects.get_or_create(
        call=instance, defaults={"phase": instance.phase, "status": instance.status}
    )
    if created or (watch.phase, watch.status) == (instance.phase, instance.status):
        return
    emails.mail_subscribers(
        instance,
        "call_update",
        {
            "phase_changed": watch.phase != instance.phase,
            "status_changed": watch.status != instance.status,
        },
    )
    watch.phase, watch.status = instance.phase, instance.status
    watch.save(update_fields=["phase", "status"])
    logger.info("Participation: subscribers of call %s told about an update", instance.pk)
