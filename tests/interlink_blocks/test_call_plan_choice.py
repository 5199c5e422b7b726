"""A new call's plan in the admin (issue #20, item 6): INTERLINK's default plan is offered as
a choice, not pre-filled into the form; it fills the plan only when the editor ticks it."""

from django.urls import reverse
from wagtail.test.utils.form_data import streamfield

from interlink_blocks.blocks.schema import DEFAULT_SCHEMA
from interlink_blocks.models import CallPage

from .admin_forms import call_form_data, schema_form_data

CHOICE = 'name="start_from_default_plan"'
FIRST_DEFAULT_OBJECTIVE = DEFAULT_SCHEMA[0][1][0][0]
OWN_PLAN = [
    {
        "type": "phase",
        "value": {
            "phase": "design",
            "objectives": [
                {
                    "title": "Talk to carers",
                    "description": "",
                    "tasks": [
                        {
                            "title": "Run three workshops",
                            "start_date": None,
                            "end_date": None,
                            "status": "planned",
                        }
                    ],
                }
            ],
        },
    }
]


def add_url(call_index) -> str:
    return reverse("wagtailadmin_pages:add", args=("interlink_blocks", "callpage", call_index.pk))


def phases(call) -> list[str]:
    return [block.value["phase"] for block in call.coproduction_schema]


def test_the_add_form_offers_the_default_plan_without_filling_it(admin_client, call_index):
    """Ensures that a new call's form has an empty plan and a box to start from INTERLINK's
    default (no default objective or task is in the form)."""
    response = admin_client.get(add_url(call_index))
    assert response.status_code == 200
    html = response.content.decode()
    assert CHOICE in html
    assert "Start from INTERLINK&#x27;s default plan" in html
    assert FIRST_DEFAULT_OBJECTIVE not in html
    assert not response.context["form"].initial.get("coproduction_schema")
    assert not CallPage(title="x", summary="y").coproduction_schema


def test_ticking_the_box_fills_the_plan_with_the_default(admin_client, call_index):
    """Ensures that an editor who chooses the default gets all of it, phase by phase."""
    data = call_form_data(coproduction_schema=streamfield([]), start_from_default_plan="on")
    response = admin_client.post(add_url(call_index), data)
    assert response.status_code == 302, response.context["form"].errors
    call = CallPage.objects.get(slug="home-care-requests")
    assert phases(call) == [str(phase) for phase, _objectives in DEFAULT_SCHEMA]
    titles = [o["title"] for block in call.coproduction_schema for o in block.value["objectives"]]
    assert titles == [title for _p, objectives in DEFAULT_SCHEMA for title, _t in objectives]


def test_without_the_box_the_call_has_no_plan(admin_client, call_index, client):
    """Ensures that a call saved without choosing keeps an empty plan, and its public page
    shows no plan section."""
    data = call_form_data(coproduction_schema=streamfield([]), **{"action-publish": "1"})
    response = admin_client.post(add_url(call_index), data)
    assert response.status_code == 302, response.context["form"].errors
    call = CallPage.objects.get(slug="home-care-requests")
    assert call.live and phases(call) == []
    page = client.get(call.url)
    assert page.status_code == 200 and 'id="coproduction-plan"' not in page.content.decode()


def test_the_editors_own_plan_is_kept_and_the_box_refuses_to_replace_it(admin_client, call_index):
    """Ensures that an editor's own plan is saved as written, and that ticking the box with
    a plan already written is refused with a message on the box, nothing saved."""
    own = call_form_data(coproduction_schema=schema_form_data(OWN_PLAN))
    refused = admin_client.post(add_url(call_index), {**own, "start_from_default_plan": "on"})
    assert refused.status_code == 200
    errors = refused.context["form"].errors["start_from_default_plan"]
    assert "only fills an empty plan" in errors[0]
    assert not CallPage.objects.filter(slug="home-care-requests").exists()

    assert admin_client.post(add_url(call_index), own).status_code == 302
    call = CallPage.objects.get(slug="home-care-requests")
    assert phases(call) == ["design"]
    assert call.coproduction_schema[0].value["objectives"][0]["title"] == "Talk to carers"


def test_the_box_is_offered_while_the_plan_is_empty(admin_client, make_call):
    """Ensures that the edit form of a call with a plan has no box (existing calls keep
    theirs unchanged), and that of a call without one offers it."""
    with_plan = make_call()
    edit = reverse("wagtailadmin_pages:edit", args=(with_plan.pk,))
    html = admin_client.get(edit).content.decode()
    assert CHOICE not in html and FIRST_DEFAULT_OBJECTIVE in html
    without = make_call(title="No plan", slug="no-plan", coproduction_schema=[])
    edit = reverse("wagtailadmin_pages:edit", args=(without.pk,))
    assert CHOICE in admin_client.get(edit).content.decode()
