"""Contributing through the public form: confirmation, accessibility of errors, protection."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from interlink_blocks.participation.models import Contribution, ContributionState

from .conftest import contribution_form, link_in_mail

pytestmark = pytest.mark.django_db


def contribute_url(call):
    return reverse("interlink_participation:contribute", args=[call.pk])


def test_anonymous_contribution_is_confirmed_by_the_mailed_link(client, open_call):
    """Ensures that a contribution without an account waits for the mailed link, then enters
    moderation, and that the address never appears on the call page."""
    response = client.post(contribute_url(open_call), contribution_form())
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.state == ContributionState.UNCONFIRMED
    assert contribution.participant.email == "maria@example.org"
    assert contribution.participant.email_confirmed_at is None

    confirm_path = link_in_mail("maria@example.org", "/participation/confirm/")
    # Opening the link (as a mail scanner would) only shows the confirm button.
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.UNCONFIRMED
    assert contribution.participant.email_confirmed_at is None
    response = client.post(confirm_path)
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.PENDING
    assert contribution.participant.email_confirmed_at is not None
    # The call's contact hears about it, with a link to the moderation queue.
    contact = [m for m in mail.outbox if m.to == ["team@example.org"]]
    assert contact and "/admin/snippets/interlink_participation/contribution/" in contact[0].body

    contribution.state = ContributionState.APPROVED
    contribution.published_at = timezone.now()
    contribution.save()
    page = client.get(open_call.url).content.decode()
    assert "A phone line for people who do not use computers." in page
    assert "by Maria" in page
    assert "maria@example.org" not in page


def test_a_tampered_confirmation_link_is_refused(client, open_call):
    """Ensures that an altered signed link confirms nothing and says so."""
    client.post(contribute_url(open_call), contribution_form())
    confirm_path = link_in_mail("maria@example.org", "/participation/confirm/")
    for method in (client.get, client.post):
        response = method(confirm_path[:-3] + "xx/")
        assert response.status_code == 400
        assert b"invalid or has expired" in response.content
    assert Contribution.objects.get().state == ContributionState.UNCONFIRMED


def test_registered_users_skip_confirmation(client, open_call, django_user_model):
    """Ensures that a signed-in person's contribution goes straight to moderation, no mail."""
    user = django_user_model.objects.create_user("lucia", "lucia@example.org", "pw")
    client.force_login(user)
    data = contribution_form()
    del data["email"]
    response = client.post(contribute_url(open_call), data)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.state == ContributionState.PENDING
    assert contribution.participant.user == user
    assert not [m for m in mail.outbox if "lucia@example.org" in m.to]


def test_anonymous_option_hides_the_name(client, open_call, approved):
    """Ensures that choosing "anonymous" publishes without the name given."""
    client.post(contribute_url(open_call), contribution_form(anonymous="on", name="Maria"))
    client.post(link_in_mail("maria@example.org", "/participation/confirm/"))
    contribution = Contribution.objects.get()
    assert contribution.author_name == ""
    assert contribution.public_author == "Anonymous"


def test_errors_are_summarised_and_linked_to_their_fields(client, open_call):
    """Ensures that an invalid submission re-renders with an error summary linking to each
    field, aria-invalid and aria-describedby pointing at the error, and nothing stored."""
    response = client.post(contribute_url(open_call), contribution_form(body="", email="nope"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error:" in html
    assert 'class="il-error-summary" role="alert"' in html
    assert 'href="#id_body"' in html and 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_body-error id_body-help"' in html
    assert 'id="id_body-error"' in html
    # What the person typed is kept.
    assert 'value="Maria"' in html
    assert not Contribution.objects.exists()


def test_honeypot_submissions_are_refused(client, open_call):
    """Ensures that a filled honeypot (robots) stores nothing and sends no mail."""
    response = client.post(contribute_url(open_call), contribution_form(website="http://spam"))
    assert response.status_code == 400
    assert b"looks automated" in response.content
    assert not Contribution.objects.exists()
    assert not mail.outbox


def test_body_length_is_limited(client, open_call, settings):
    """Ensures that a text over the configured limit is refused with a clear error."""
    settings.PARTICIPATION_MAX_BODY_LENGTH = 50
    response = client.post(contribute_url(open_call), contribution_form(body="x" * 51))
    assert response.status_code == 400
    assert b"at most 50 characters" in response.content
    assert not Contribution.objects.exists()


def test_rate_limit_per_address(client, open_call, settings):
    """Ensures that submissions past the per-address limit get 429 and are not stored."""
    settings.PARTICIPATION_RATE_LIMITS = {"ip": (100, 3600), "email": (2, 3600)}
    for _ in range(2):
        assert client.post(contribute_url(open_call), contribution_form()).status_code == 302
    response = client.post(contribute_url(open_call), contribution_form())
    assert response.status_code == 429
    assert b"many submissions" in response.content
    assert Contribution.objects.count() == 2
    # Another address from another client is still welcome.
    other = client.post(
        contribute_url(open_call),
        contribution_form(email="other@example.org"),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_rate_limit_per_ip(client, open_call, settings):
    """Ensures that one client address cannot post past its limit with varying addresses."""
    settings.PARTICIPATION_RATE_LIMITS = {"ip": (3, 3600), "email": (100, 3600)}
    for n in range(3):
        response = client.post(
            contribute_url(open_call), contribution_form(email=f"p{n}@example.org")
        )
        assert response.status_code == 302
    response = client.post(contribute_url(open_call), contribution_form(email="p9@example.org"))
    assert response.status_code == 429
    assert Contribution.objects.count() == 3


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "closed"},
        {"deadline": datetime.date(2020, 1, 31), "opens_at": datetime.date(2020, 1, 1)},
    ],
    ids=["closed", "past-deadline"],
)
def test_closed_calls_replace_forms_and_refuse_posts(client, make_call, fields):
    """Ensures that a closed or past-deadline call shows a message instead of forms and
    refuses a direct POST to contribute, support or join."""
    call = make_call(**fields)
    page = client.get(call.url).content.decode()
    assert "il-notice" in page
    assert 'action="/participation/calls/' not in page
    response = client.post(contribute_url(call), contribution_form())
    assert response.status_code == 403
    assert b"not accepting contributions" in response.content
    assert (
        client.post(reverse("interlink_participation:support_call", args=[call.pk]), {}).status_code
        == 403
    )
    join = client.post(
        reverse("interlink_participation:join", args=[call.pk]),
        {"role": "citizen", "motivation": "m", "email": "a@example.org"},
    )
    assert join.status_code == 403
    assert not Contribution.objects.exists()
    assert not mail.outbox


def test_user_text_is_escaped_and_links_are_ugc(client, open_call, approved):
    """Ensures that markup in a contribution is shown as text and URLs get rel="nofollow ugc"."""
    approved(body='<script>alert(1)</script> see https://example.org/plan "quoted"')
    html = client.get(open_call.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://example.org/plan" rel="nofollow ugc"' in html


def test_replies_go_one_level_deep(client, open_call, approved):
    """Ensures that a reply attaches to an approved contribution, and a reply to a reply is
    refused."""
    parent = approved()
    response = client.post(
        contribute_url(open_call) + f"?reply_to={parent.pk}",
        contribution_form(parent=parent.pk, kind="comment", body="I agree."),
    )
    assert response.status_code == 302
    reply = Contribution.objects.get(parent=parent)
    reply.state = ContributionState.APPROVED
    reply.published_at = timezone.now()
    reply.save()
    nested = client.post(
        contribute_url(open_call), contribution_form(parent=reply.pk, body="Nested")
    )
    assert nested.status_code == 400
    assert b"In reply to: Replies go to a published contribution only." in nested.content
    assert not Contribution.objects.filter(parent=reply).exists()
    html = client.get(open_call.url).content.decode()
    assert 'class="il-replies"' in html and "I agree." in html


def test_a_typed_address_changes_nothing_stored_about_its_owner(client, open_call):
    """Ensures that a contribution sent with someone else's address leaves the name remembered
    for that person and their last activity alone, and that a name given with a
    contribution is taken over only once its mailed link is confirmed."""
    from django.test import Client

    from interlink_blocks.participation.models import Participant

    client.post(contribute_url(open_call), contribution_form(name="Maria"))
    client.post(link_in_mail("maria@example.org", "/participation/confirm/"))
    maria = Participant.objects.get(email="maria@example.org")
    assert maria.display_name == "Maria"
    remembered = (maria.display_name, maria.last_active_at)

    mail.outbox.clear()
    other = Client()
    other.post(contribute_url(open_call), contribution_form(name="Maria L.", body="Later idea"))
    maria.refresh_from_db()
    assert (maria.display_name, maria.last_active_at) == remembered
    assert Contribution.objects.get(body="Later idea").author_name == "Maria L."

    other.post(link_in_mail("maria@example.org", "/participation/confirm/"))
    maria.refresh_from_db()
    assert maria.display_name == "Maria L." and maria.last_active_at > remembered[1]


def test_forms_asking_for_an_address_state_its_retention(client, open_call, approved, settings):
    """Ensures that every form collecting an e-mail address says how long it is kept."""
    settings.PARTICIPATION_RETENTION_DAYS = 365
    contribution = approved()
    pages = [
        open_call.url,
        contribute_url(open_call),
        reverse("interlink_participation:join", args=[open_call.pk]),
        reverse("interlink_participation:subscribe", args=[open_call.pk]),
        reverse("interlink_participation:support_call", args=[open_call.pk]),
        reverse(
            "interlink_participation:support_contribution", args=[open_call.pk, contribution.pk]
        ),
    ]
    notice = "We keep it for 365 days after your last activity, or until you ask us to delete it."
    for page in pages:
        assert notice in client.get(page).content.decode(), page
