"""A call's co-production process and its plan: phases → objectives → tasks, as rows.

The plan starts as a copy of the call's schema (``coproduction_schema``: INTERLINK's
default if its editor, or the staff member who opens the process, chose it) and from then on lives here, where the team edits it; the call's StreamField is
left as the editor wrote it. Objectives and tasks carry their process too, so a whole
plan, or its progress, is read with one query.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interlink_blocks.choices import Phase
from interlink_blocks.fields import MultipleChoiceListField
from interlink_blocks.participation.models import TeamRole


class WorkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Process(models.Model):
    """The co-production process of one call, opened by staff or by the first accepted member."""

    call = models.OneToOneField(
        "interlink_blocks.CallPage",
        on_delete=models.CASCADE,
        related_name="process",
        verbose_name=_("call"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The last change to the plan or the team: the call page's "last update".
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    #: Points per kind of acknowledged contribution (``claims.DEFAULT_POINTS`` fills gaps).
    points_rule = models.JSONField(_("points rule"), default=dict, blank=True)
    #: The success story drafted when staff published the outcome (closing the loop).
    story = models.ForeignKey(
        "interlink_blocks.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("success story"),
    )

    class Meta:
        verbose_name = _("co-production process")
        verbose_name_plural = _("co-production processes")

    def __str__(self):
        return str(self.call)

    def touch(self) -> None:
        self.updated_at = timezone.now()
        Process.objects.filter(pk=self.pk).update(updated_at=self.updated_at)


class ProcessPhase(models.Model):
    """A phase of the process; ``editable_by`` restricts its tasks to some team roles."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    position = models.PositiveSmallIntegerField(default=0)
    editable_by = MultipleChoiceListField(
        _("tasks editable by"),
        choices_list=TeamRole.choices,
        help_text=_("Team roles whose members may update this phase's tasks; none: every member."),
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "kind"], name="workspace_one_phase_each")
        ]

    def __str__(self):
        return self.get_kind_display()


class Objective(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="objectives")
    phase = models.ForeignKey(ProcessPhase, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Task(models.Model):
    """A task of an objective: dates, status, the members assigned to it."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="tasks")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WorkStatus.choices,
        default=WorkStatus.PLANNED,
        db_index=True,
    )
    position = models.PositiveIntegerField(default=0)
    editable_by = MultipleChoiceListField(
        _("editable by"),
        choices_list=TeamRole.choices,
        help_text=_("Team roles whose members may update this task; none: as its phase says."),
    )
    assignees = models.ManyToManyField(
        "interlink_workspace.Membership", blank=True, related_name="tasks"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title
