"""The person behind contributions: an account, or an e-mail address they confirmed.

Only what participation needs is stored: the address (never shown publicly), the name
they chose to show, and when they confirmed and were last active (for retention).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ParticipantQuerySet(models.QuerySet):
    def for_email(self, email: str) -> "Participant":
        participant, _created = self.get_or_create(email=normalise_email(email))
        return participant

    def for_user(self, user) -> "Participant":
        email = normalise_email(user.email) if user.email else None
        if email and self.filter(email=email).exclude(user=user).exists():
            # The address already belongs to a person who took part without an account.
            # An account's address is not proof of owning that record: keep them apart.
            email = None
        participant, created = self.get_or_create(user=user, defaults={"email": email})
        if created and participant.email:
            participant.email_confirmed_at = timezone.now()
            participant.save(update_fields=["email_confirmed_at"])
        return participant


def normalise_email(email: str) -> str:
    return email.strip().lower()


class Participant(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interlink_participant",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    display_name = models.CharField(_("name shown"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_active_at = models.DateTimeField(_("last active at"), default=timezone.now)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-last_active_at"]

    def __str__(self):
        return self.display_name or self.email or _("participant %(id)s") % {"id": self.pk}

    @property
    def is_confirmed(self) -> bool:
        return bool(self.user_id or self.email_confirmed_at)

    def confirm(self, name: str = "") -> None:
        """The person proved the address (mailed link); ``name`` is the one they chose to show.

        Only a confirmed request may change what is stored about a person: a form sent with a
        typed address changes nothing until its link is confirmed.
        """
        self.email_confirmed_at = self.email_confirmed_at or timezone.now()
        self.touch(name, extra_fields=["email_confirmed_at"])

    def touch(self, name: str = "", extra_fields: list[str] | None = None) -> None:
        """Records activity by the confirmed person (retention counts from it), and their name."""
        self.last_active_at = timezone.now()
        fields = ["last_active_at", *(extra_fields or [])]
        if name and name != self.display_name:
            self.display_name = name
            fields.append("display_name")
        self.save(update_fields=fields)
