"""Participation in a real browser: keyboard-only contribution and axe-core on its pages."""

import pytest
from django.core.cache import cache

from interlink_blocks.participation.models import Contribution, ContributionState

from .conftest import format_violations, seed_contributions

pytestmark = pytest.mark.browser


@pytest.fixture
def participation_site(seeded_site):
    """Ensures the seeded call has an approved contribution with a reply and an answer."""
    cache.clear()
    seed_contributions(seeded_site.call)
    return seeded_site


def focused_name(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.name")


def tab_until(page, predicate, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(page):
            return
    raise AssertionError("the control was never reached with the keyboard")


def test_contribution_from_the_call_page_with_the_keyboard_alone(participation_site, page):
    """Ensures that a resident reaches the form on the call page, chooses "question", writes
    and sends a contribution using only the keyboard, and sees the confirmation message."""
    call = participation_site.call
    page.goto(participation_site.url(call.url))
    tab_until(page, lambda p: focused_name(p) == "kind")
    page.keyboard.press("ArrowDown")  # radio group: Idea → Question
    tab_until(page, lambda p: focused_name(p) == "body")
    page.keyboard.type("Could the form be available in large print?")
    tab_until(page, lambda p: focused_name(p) == "email")
    page.keyboard.type("keyboard@example.org")
    tab_until(
        page,
        lambda p: p.evaluate(
            "() => document.activeElement.type === 'submit'"
            " && document.activeElement.closest('form').action.endsWith('/contribute/')"
        ),
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "We sent you an e-mail" in page.locator("#participation [role=status]").inner_text()
    contribution = Contribution.objects.get(participant__email="keyboard@example.org")
    assert contribution.kind == "question"
    assert contribution.state == ContributionState.UNCONFIRMED


def test_call_page_with_contributions_has_no_axe_violations(participation_site, page, axe):
    """Ensures that the call page with its participation section (form, contributions,
    replies, official answer) has no WCAG 2.1 A/AA violation."""
    page.goto(participation_site.url(participation_site.call.url))
    assert page.locator(".il-contribution").count() == 2
    violations = axe(page)
    assert violations == [], format_violations(violations)


def test_form_error_state_has_no_axe_violations(participation_site, page, axe):
    """Ensures that the form's error state (summary, linked messages, invalid fields) has no
    WCAG 2.1 A/AA violation and that the summary links move focus to the field."""
    page.goto(
        participation_site.url(f"/participation/calls/{participation_site.call.pk}/contribute/")
    )
    page.fill("#id_email", "not-an-address")
    with page.expect_navigation():
        page.click("form.il-form button[type=submit]")
    summary = page.locator(".il-error-summary")
    assert summary.count() == 1
    violations = axe(page)
    assert violations == [], format_violations(violations)
    summary.locator("a[href='#id_body']").click()
    assert focused_name(page) == "body"


def test_closed_call_and_join_form_have_no_axe_violations(participation_site, page, axe):
    """Ensures that the closed call's message and the team form have no violation."""
    page.goto(participation_site.url(participation_site.closed_call.url))
    assert page.locator(".il-notice").count() == 1
    assert axe(page) == [], format_violations(axe(page))
    page.goto(participation_site.url(f"/participation/calls/{participation_site.call.pk}/join/"))
    with page.expect_navigation():
        page.click("form.il-form button[type=submit]")
    violations = axe(page)
    assert violations == [], format_violations(violations)
