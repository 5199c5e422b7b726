"""Signal receivers: keep approved contributions (and others' replies) when a person is deleted
(from anywhere), tell other apps when a public contribution is deleted, and tell subscribers
when a published call changes phase or status or closes."""

import logging

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from interlink_blocks.fragments import invalidate
from interlink_blocks.models import CallPage

from . import emails, signals
from .models import CallWatch, Contribution, Participant, Report, Support, TeamRequest
from .services import privacy

logger = logging.getLogger(__name__)

# The call page's cached participation section shows contributions (hidden after reports),
# supports, the team and participants' names: any change to them starts a new generation.
for model in (Contribution, Support, Report, TeamRequest, Participant):
    post_save.connect(invalidate, sender=model, dispatch_uid=f"participation_fragments_{model}")
    post_delete.connect(invalidate, sender=model, dispatch_uid=f"participation_fragments_{model}")


@receiver(pre_delete, sender=Participant)
def keep_approved_contributions(sender, instance, **kwargs):
    """Approved contributions become "deleted participant"; unpublished ones go with the person,
    except as placeholders where others replied (``privacy.release_contributions``).

    Runs for every deletion path: the self-service link, the admin, a deleted account, pruning.
    """
    privacy.release_contributions(instance, keep_approved=True)


@receiver(pre_delete, sender=Contribution)
def announce_deleted_contribution(sender, instance, **kwargs):
    """A public contribution deleted without being withdrawn first (a call deleted, staff
    deleting it in the admin, a reply going with its parent): other apps must forget it."""
    if instance.is_visible:
        signals.contribution_removed.send(
            sender=Contribution, contribution=instance, reason="deleted"
        )


@receiver(page_published, sender=CallPage)
def announce_call_changes(sender, instance, **kwargs):
    """One mail to subscribers per publish that changes the phase or status, saying also when
    the call stopped accepting contributions (so the digest command does not say it again)."""
    closed = not instance.accepts_contributions and instance.has_opened
    watch, created = CallWatch.objects.get_or_create(
        call=instance,
        defaults={
            "phase": instance.phase,
            "status": instance.status,
            "closing_announced": closed,
        },
    )
    changed = (watch.phase, watch.status) != (instance.phase, instance.status)
    announce_closing = closed and not watch.closing_announced
    if not created and (changed or announce_closing):
        emails.mail_subscribers(
            instance,
            "call_update",
            {
                "phase_changed": watch.phase != instance.phase,
                "status_changed": watch.status != instance.status,
                "closing": announce_closing,
            },
        )
        logger.info("Participation: subscribers of call %s told about an update", instance.pk)
    # Reopened (status or a later deadline): its next closing is announced again.
    watch.phase, watch.status, watch.closing_announced = instance.phase, instance.status, closed
    watch.save(update_fields=["phase", "status", "closing_announced"])
