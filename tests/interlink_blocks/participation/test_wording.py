"""Participation that reads right: answers worded for the kind of contribution, moderators'
edits kept and shown, a pending team request shown, no raw values in the admin."""

import pytest
from django.core import mail
from django.test import Client

from interlink_blocks.participation.identity import SESSION_KEY
from interlink_blocks.participation.models import (
    Contribution,
    ContributionState,
    Participant,
    TeamRequest,
)
from interlink_blocks.participation.models.engagement import TeamRequestState
from interlink_blocks.participation.services import contributions as contribution_service

from .test_moderation import edit_data, edit_url, pending

pytestmark = pytest.mark.django_db


def approved(call, body, kind="idea", email="author@example.org"):
    contribution = pending(call, body, email=email)
    contribution.kind = kind
    contribution.save(update_fields=["kind"])
    contribution_service.set_state(contribution, ContributionState.APPROVED)
    return Contribution.objects.get(pk=contribution.pk)


def test_a_question_is_answered_not_accepted(staff_client, open_call):
    """Ensures that the answer to a question reads "Answered" on the call page and in the
    mail, that the admin offers only the answers that fit a question, and refuses
    "Accepted" for one."""
    question = approved(open_call, "Can I take part by phone?", kind="question")
    form = staff_client.get(edit_url(question)).content.decode()
    assert 'value="answered"' in form and 'value="accepted"' not in form

    refused = staff_client.post(edit_url(question), edit_data(question, answer_status="accepted"))
    assert refused.status_code == 200
    assert not Contribution.objects.get(pk=question.pk).answer_status

    mail.outbox.clear()
    response = staff_client.post(
        edit_url(question),
        edit_data(question, answer_status="answered", answer_text="Yes, on weekday mornings."),
    )
    assert response.status_code == 302
    html = Client().get(open_call.url).content.decode()
    assert "Official answer: Answered" in html and "Accepted" not in html
    assert any("Answer: Answered" in message.body for message in mail.outbox)


def test_an_older_question_marked_accepted_still_reads_answered(open_call):
    """Ensures that a question answered "Accepted" before statuses depended on the kind is
    shown as "Answered"; an idea keeps "Accepted"."""
    question = approved(open_call, "When?", kind="question")
    Contribution.objects.filter(pk=question.pk).update(answer_status="accepted")
    idea = approved(open_call, "A phone line", email="idea@example.org")
    Contribution.objects.filter(pk=idea.pk).update(answer_status="accepted")
    assert Contribution.objects.get(pk=question.pk).answer_label == "Answered"
    assert Contribution.objects.get(pk=idea.pk).answer_label == "Accepted"


def test_moderator_edit_keeps_the_original_shows_it_and_tells_the_author(staff_client, open_call):
    """Ensures that when a moderator rewrites a citizen's text, the author's own words are
    kept (the first ones, over several edits), the call page says "Edited by the
    moderators", and the author gets a mail with both versions."""
    idea = approved(open_call, "Call me on 333 1234567 about the bus line")
    mail.outbox.clear()
    response = staff_client.post(
        edit_url(idea), edit_data(idea, body="Call me about the bus line [phone removed]")
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.original_body == "Call me on 333 1234567 about the bus line"
    assert idea.edited_by_moderators_at is not None
    staff_client.post(edit_url(idea), edit_data(idea, body="About the bus line"))
    idea.refresh_from_db()
    assert idea.original_body == "Call me on 333 1234567 about the bus line"

    html = Client().get(open_call.url).content.decode()
    assert "Edited by the moderators" in html and "333 1234567" not in html
    to_author = [m for m in mail.outbox if m.to == ["author@example.org"]]
    assert len(to_author) == 2
    assert "333 1234567" in to_author[0].body and "[phone removed]" in to_author[0].body


def test_changing_only_the_state_is_not_an_edit(staff_client, open_call):
    """Ensures that approving or answering without touching the text marks nothing."""
    idea = pending(open_call, "Longer opening hours")
    staff_client.post(edit_url(idea), edit_data(idea, state="approved"))
    idea.refresh_from_db()
    assert idea.edited_by_moderators_at is None and idea.original_body == ""


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (TeamRequestState.PENDING, "Your request is waiting for the team"),
        (TeamRequestState.UNCONFIRMED, "confirm your request with the link"),
        (TeamRequestState.ACCEPTED, "You are a member of the co-production team."),
    ],
)
def test_a_person_who_asked_to_join_sees_their_request(open_call, state, shown):
    """Ensures that after asking to join, the person sees the request's state on the call
    instead of being offered to join again; others still see the link."""
    participant = Participant.objects.for_email("joiner@example.org")
    participant.confirm()
    TeamRequest.objects.create(call=open_call, participant=participant, state=state)
    client = Client()
    session = client.session
    session[SESSION_KEY] = participant.pk
    session.save()
    html = client.get(open_call.url).content.decode()
    assert shown in html
    assert "Join the co-production team" not in html
    assert "Join the co-production team" in Client().get(open_call.url).content.decode()


def test_admin_lists_show_no_raw_values(staff_client, open_call):
    """Ensures that the team requests list shows yes/no as an icon with words, not
    "True"/"False", and that the FAQ block is named in words, not "Faq"."""
    from interlink_blocks.blocks import InterlinkStreamBlock

    participant = Participant.objects.for_email("t@example.org")
    TeamRequest.objects.create(
        call=open_call, participant=participant, name="Ana", list_publicly=False
    )
    html = staff_client.get("/admin/snippets/interlink_participation/teamrequest/").content.decode()
    assert ">False<" not in html and ">True<" not in html
    assert "Listed on the call" in html
    assert InterlinkStreamBlock().child_blocks["faq"].label == "Frequently asked questions"
