"""The INTERLINK co-production schema: phases → objectives → tasks.

A new call starts from ``default_schema()``, INTERLINK's default: editors then adapt
objectives and tasks, and set dates and statuses as the work progresses.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..choices import Phase, TaskStatus


def phase_label(value: str | None) -> str:
    """The translated name of a phase; unknown values (e.g. from remote data) stay as they are."""
    return Phase(value).label if value in Phase.values else (value or "")


class TaskBlock(blocks.StructBlock):
    """One task of an objective, with optional dates and a status."""

    title = blocks.CharBlock(max_length=200, label=_("Task"))
    start_date = blocks.DateBlock(required=False, label=_("Start"))
    end_date = blocks.DateBlock(required=False, label=_("End"))
    status = blocks.ChoiceBlock(
        choices=TaskStatus.choices, default=TaskStatus.PLANNED, label=_("Status")
    )

    def clean(self, value):
        result = super().clean(value)
        start, end = result.get("start_date"), result.get("end_date")
        if start and end and end < start:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "end_date": ValidationError(_("The end must not come before the start."))
                }
            )
        return result

    class Meta:
        icon = "tasks"
        preview_value = {"title": "Map who uses the service today", "status": "planned"}
        description = _("A task with dates and a status.")


class ObjectiveBlock(blocks.StructBlock):
    """An objective of a phase and the tasks that reach it."""

    title = blocks.CharBlock(max_length=200, label=_("Objective"))
    description = blocks.TextBlock(required=False, label=_("Description"))
    tasks = blocks.ListBlock(TaskBlock(), default=[], label=_("Tasks"))

    class Meta:
        icon = "pick"
        description = _("An objective of a co-production phase.")


class PhaseBlock(blocks.StructBlock):
    """A phase of the INTERLINK schema (Engage, Design, Build, Sustain) with its objectives."""

    phase = blocks.ChoiceBlock(choices=Phase.choices, label=_("Phase"))
    objectives = blocks.ListBlock(ObjectiveBlock(), default=[], label=_("Objectives"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["phase_label"] = phase_label(value.get("phase"))
        return context

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        data["phase_label"] = str(phase_label(value.get("phase")))
        return data

    class Meta:
        icon = "list-ol"
        template = "interlink_blocks/blocks/phase.html"
        preview_value = {
            "phase": "engage",
            "objectives": [{"title": "Identify and engage stakeholders", "tasks": []}],
        }
        description = _("A co-production phase with its objectives and tasks.")


class CoproductionSchemaBlock(blocks.StreamBlock):
    """The phases of a call's co-production plan, in order."""

    phase = PhaseBlock()

    class Meta:
        icon = "list-ol"
        template = "interlink_blocks/blocks/schema.html"
        description = _("The co-production plan: phases, objectives and tasks.")


# INTERLINK's default schema: phase → objective → its starting tasks.
DEFAULT_SCHEMA: list[tuple[str, list[tuple[str, list[str]]]]] = [
    (
        Phase.ENGAGE,
        [
            (
                "Identify and engage stakeholders",
                [
                    "Map the people and organisations concerned",
                    "Invite them and agree how to work together",
                ],
            ),
            (
                "Legal and ethical framework",
                [
                    "Check the legal basis and consent needs",
                    "Agree ethical principles for the co-production",
                ],
            ),
            (
                "Data management",
                ["Decide what data is collected and for how long", "Publish a privacy notice"],
            ),
        ],
    ),
    (
        Phase.DESIGN,
        [
            (
                "Focus and explore the problem",
                ["Gather experiences of current users", "Define the problem together"],
            ),
            ("Ideation", ["Collect ideas from participants", "Select the ideas to take forward"]),
            ("Service design", ["Draw the service blueprint"]),
            ("Specification", ["Write the requirements with participants"]),
            ("Prototype", ["Build and test a prototype with users"]),
            ("Sustainability", ["Plan resources, governance and funding"]),
        ],
    ),
    (
        Phase.BUILD,
        [
            (
                "Technical and service implementation",
                ["Implement the service", "Test accessibility and usability"],
            ),
            ("Co-delivery", ["Run the service with partners", "Collect feedback"]),
        ],
    ),
    (
        Phase.SUSTAIN,
        [
            ("Handover", ["Hand the service over to its long-term owners"]),
            ("Maintenance", ["Agree who maintains what"]),
            ("Monitoring", ["Measure outcomes and report them publicly"]),
        ],
    ),
]


def default_schema() -> list[dict]:
    """INTERLINK's default schema in StreamField's raw form, for new calls."""
    return [
        {
            "type": "phase",
            "value": {
                "phase": str(phase),
                "objectives": [
                    {
                        "title": title,
                        "description": "",
                        "tasks": [
                            {
                                "title": task,
                                "start_date": None,
                                "end_date": None,
                                "status": TaskStatus.PLANNED.value,
                            }
                            for task in tasks
                        ],
                    }
                    for title, tasks in objectives
                ],
            },
        }
        for phase, objectives in DEFAULT_SCHEMA
    ]
