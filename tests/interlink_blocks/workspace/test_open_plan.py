"""A process opened for a call without a plan (issue #20, item 6): INTERLINK's default plan
only when the one who opens it chooses it, as on the call's own form."""

from django.urls import reverse

from interlink_blocks.blocks.schema import DEFAULT_SCHEMA
from interlink_blocks.workspace.models import Objective, Process, ProcessPhase
from interlink_blocks.workspace.services import tree

CHOICE = 'name="default_plan"'


def test_a_call_without_a_plan_opens_with_empty_phases(make_call):
    """Ensures that nothing adds the default behind the editor's back: four phases, no
    objectives (the team plans in the workspace)."""
    process = tree.open_process(make_call(coproduction_schema=[]))
    assert ProcessPhase.objects.filter(process=process).count() == 4
    assert not Objective.objects.filter(process=process).exists()


def test_staff_choose_the_default_plan_when_opening_a_call_without_one(client, make_call, staff):
    """Ensures that the admin's open page offers the default for a call without a plan, and
    that ticking it copies the whole default."""
    call = make_call(coproduction_schema=[])
    client.force_login(staff)
    url = reverse("interlink_workspace_admin:open", args=[call.pk])
    assert CHOICE in client.get(url).content.decode()
    client.post(url, {"default_plan": "1"})
    process = Process.objects.get(call=call)
    titles = list(
        Objective.objects.filter(process=process)
        .order_by("phase__position", "position")
        .values_list("title", flat=True)
    )
    assert titles == [title for _p, objectives in DEFAULT_SCHEMA for title, _t in objectives]


def test_a_call_with_a_plan_is_opened_from_it_without_asking(client, call, staff):
    """Ensures that a call with a plan offers no choice and its plan is what is copied,
    whatever is posted."""
    client.force_login(staff)
    url = reverse("interlink_workspace_admin:open", args=[call.pk])
    assert CHOICE not in client.get(url).content.decode()
    client.post(url, {"default_plan": "1"})
    process = Process.objects.get(call=call)
    count = sum(len(objectives) for _p, objectives in DEFAULT_SCHEMA)
    assert Objective.objects.filter(process=process).count() == count
