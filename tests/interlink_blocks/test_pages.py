"""Public rendering of Interlink pages."""

import datetime

from django.utils import timezone


def test_call_page_renders_its_structured_fields(client, make_call):
    """Ensures that a published call's page shows status, phase, deadline and who may take part."""
    call = make_call(sectors=["social-health-care"])
    response = client.get(call.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Redesign the home-care request service</h1>" in html
    assert "Open" in html and "Design" in html
    assert "Citizens, Non-profit organisations" in html
    assert "Social and health care" in html
    assert 'aria-current="step"' in html  # the timeline marks the current phase


def test_call_past_deadline_stops_accepting_contributions(make_call):
    """Ensures that an open call no longer accepts contributions once its deadline has passed."""
    today = timezone.localdate()
    call = make_call(
        opens_at=today - datetime.timedelta(days=40), deadline=today - datetime.timedelta(days=1)
    )
    assert call.status == "open"
    assert not call.accepts_contributions
    assert make_call(title="Another", slug="another").accepts_contributions


def test_interlink_default_schema_phase_by_phase(call_index):
    """Ensures that INTERLINK's default schema, which an editor may choose for a new call
    (test_call_plan_choice), has the four phases and their objectives."""
    from interlink_blocks.blocks import default_schema
    from interlink_blocks.models import CallPage

    call = CallPage(title="x", summary="y", coproduction_schema=default_schema())
    phases = [block.value["phase"] for block in call.coproduction_schema]
    assert phases == ["engage", "design", "build", "sustain"]
    design = call.coproduction_schema[1].value
    assert [o["title"] for o in design["objectives"]] == [
        "Focus and explore the problem",
        "Ideation",
        "Service design",
        "Specification",
        "Prototype",
        "Sustainability",
    ]
