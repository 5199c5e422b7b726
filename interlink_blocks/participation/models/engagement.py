"""Ways of taking part besides writing: supports, reports, team requests, subscriptions."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Support(models.Model):
    """One person's support for a call (``contribution`` null) or for one contribution."""

    participant = models.ForeignKey(
        "interlink_participation.Participant", on_delete=models.CASCADE, related_name="supports"
    )
    call = models.ForeignKey(
        "interlink_blocks.CallPage", on_delete=models.CASCADE, related_name="supports"
    )
    contribution = models.ForeignKey(
        "interlink_participation.Contribution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supports",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "contribution"],
                condition=Q(contribution__isnull=False),
                name="participation_one_support_per_contribution",
            ),
            models.UniqueConstraint(
                fields=["participant", "call"],
                condition=Q(contribution__isnull=True),
                name="participation_one_support_per_call",
            ),
        ]


class Report(models.Model):
    """A public report of a contribution; ``reporter_key`` is a keyed hash, not an address."""

    contribution = models.ForeignKey(
        "interlink_participation.Contribution", on_delete=models.CASCADE, related_name="reports"
    )
    reporter_key = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "reporter_key"], name="participation_one_report_each"
            )
        ]


class TeamRole(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    NON_PROFIT = "non_profit", _("Non-profit organisation")
    RESEARCHER = "researcher", _("Researcher")


class TeamRequestState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class TeamRequest(models.Model):
    """A request to join a call's co-production team.

    One request per person and call once confirmed; a request sent with a typed address is
    stored apart, ``unconfirmed``, and changes nothing until its mailed link is confirmed
    (``services.engagement.confirm_team_request``). ``name`` is the name to list on the call,
    as given with this request.
    """

    call = models.ForeignKey(
        "interlink_blocks.CallPage",
        on_delete=models.CASCADE,
        related_name="team_requests",
        verbose_name=_("call"),
    )
    participant = models.ForeignKey(
        "interlink_participation.Participant",
        on_delete=models.CASCADE,
        related_name="team_requests",
        verbose_name=_("participant"),
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    motivation = models.TextField(_("motivation"))
    name = models.CharField(_("name to list"), max_length=120, blank=True)
    list_publicly = models.BooleanField(
        _("listed on the call"),
        default=False,
        help_text=_("The person agreed to have their name listed on the call page."),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=TeamRequestState.choices,
        default=TeamRequestState.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team request")
        verbose_name_plural = _("team requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "participant"],
                condition=~Q(state=TeamRequestState.UNCONFIRMED),
                name="participation_one_confirmed_request",
            )
        ]

    def __str__(self):
        return f"{self.participant} – {self.get_role_display()}"

    @property
    def is_decided(self) -> bool:
        return self.state in (TeamRequestState.ACCEPTED, TeamRequestState.DECLINED)


class Subscription(models.Model):
    """A confirmed wish to receive a call's updates by e-mail."""

    call = models.ForeignKey(
        "interlink_blocks.CallPage", on_delete=models.CASCADE, related_name="subscriptions"
    )
    participant = models.ForeignKey(
        "interlink_participation.Participant",
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "participant"], name="participation_one_subscription"
            )
        ]

    def __str__(self):
        return f"{self.participant} → {self.call}"


class NotificationEvent(models.Model):
    """Something the call's contact should hear about, kept until a digest sends it.

    It points at what it is about instead of copying it: the digest describes it when it is
    sent, and the event goes with it when it is deleted (a person's data included).
    """

    call = models.ForeignKey("interlink_blocks.CallPage", on_delete=models.CASCADE)
    contribution = models.ForeignKey(
        "interlink_participation.Contribution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    team_request = models.ForeignKey(
        "interlink_participation.TeamRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)


class CallWatch(models.Model):
    """The last phase and status subscribers were told about, to notice changes on publish."""

    call = models.OneToOneField(
        "interlink_blocks.CallPage", on_delete=models.CASCADE, related_name="+"
    )
    phase = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    closing_announced = models.BooleanField(default=False)
