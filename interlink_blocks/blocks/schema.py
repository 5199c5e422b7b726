"""The INTERLINK co-production schema: phases → objectives → tasks.

A new call's editor may start from ``default_schema()``, INTERLINK's default (a choice on
the call's form, ``CallPageForm``, never pre-filled): editors then adapt objectives and
tasks, and set dates and statuses as the work progresses.

The default titles are stored in English, as data, and marked with ``gettext_noop`` so
``makemessages`` extracts them; templates show them through ``plan_text`` (the
``plan_text`` filter of ``interlink_timeline``), which translates a default title into the
visitor's language and leaves a title an editor wrote (or changed) as it is.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
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
                gettext_noop("Identify and engage stakeholders"),
                [
                    gettext_noop("Map the people and organisations concerned"),
                    gettext_noop("Invite them and agree how to work together"),
                ],
            ),
            (
                gettext_noop("Legal and ethical framework"),
                [
                    gettext_noop("Check the legal basis and consent needs"),
                    gettext_noop("Agree ethical principles for the co-production"),
                ],
            ),
            (
                gettext_noop("Data management"),
                [
                    gettext_noop("Decide what data is collected and for how long"),
                    gettext_noop("Publish a privacy notice"),
                ],
            ),
        ],
    ),
    (
        Phase.DESIGN,
        [
            (
                gettext_noop("Focus and explore the problem"),
                [
                    gettext_noop("Gather experiences of current users"),
                    gettext_noop("Define the problem together"),
                ],
            ),
            (
                gettext_noop("Ideation"),
                [
                    gettext_noop("Collect ideas from participants"),
                    gettext_noop("Select the ideas to take forward"),
                ],
            ),
            (gettext_noop("Service design"), [gettext_noop("Draw the service blueprint")]),
            (
                gettext_noop("Specification"),
                [gettext_noop("Write the requirements with participants")],
            ),
            (gettext_noop("Prototype"), [gettext_noop("Build and test a prototype with users")]),
            (
                gettext_noop("Sustainability"),
                [gettext_noop("Plan resources, governance and funding")],
            ),
        ],
    ),
    (
        Phase.BUILD,
        [
            (
                gettext_noop("Technical and service implementation"),
                [
                    gettext_noop("Implement the service"),
                    gettext_noop("Test accessibility and usability"),
                ],
            ),
            (
                gettext_noop("Co-delivery"),
                [gettext_noop("Run the service with partners"), gettext_noop("Collect feedback")],
            ),
        ],
    ),
    (
        Phase.SUSTAIN,
        [
            (
                gettext_noop("Handover"),
                [gettext_noop("Hand the service over to its long-term owners")],
            ),
            (gettext_noop("Maintenance"), [gettext_noop("Agree who maintains what")]),
            (
                gettext_noop("Monitoring"),
                [gettext_noop("Measure outcomes and report them publicly")],
            ),
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


# Every default objective and task title, to tell them from editors' own texts.
DEFAULT_TEXTS = frozenset(
    text
    for _phase, objectives in DEFAULT_SCHEMA
    for title, tasks in objectives
    for text in (title, *tasks)
)


def plan_text(text: str) -> str:
    """A default objective or task title in the active language; an editor's text as written."""
    return gettext(text) if text in DEFAULT_TEXTS else text
