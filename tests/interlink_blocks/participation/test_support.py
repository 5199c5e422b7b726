"""Supports (one per person, withdrawable) and withdrawing one's own contribution."""

import pytest
from django.urls import reverse

from interlink_blocks.participation import signals
from interlink_blocks.participation.models import Contribution, ContributionState, Support

from .conftest import contribution_form, link_in_mail

pytestmark = pytest.mark.django_db


def test_anonymous_support_counts_once_per_confirmed_address(client, open_call, approved):
    """Ensures that an address confirmed by mail supports a contribution once: confirming
    again, or supporting again from the page, adds nothing."""
    contribution = approved()
    url = reverse(
        "interlink_participation:support_contribution", args=[open_call.pk, contribution.pk]
    )
    form_page = client.post(url, {})
    assert form_page.status_code == 200 and b"e-mail" in form_page.content
    client.post(url, {"email": "fan@example.org", "website": ""})
    confirm = link_in_mail("fan@example.org", "/participation/confirm/")
    # A mail scanner that opens the link adds no support: only the page's button does.
    scanner = client.__class__()
    assert scanner.get(confirm).status_code == 200
    assert not Support.objects.exists()
    assert client.post(confirm).status_code == 302
    assert Support.objects.filter(contribution=contribution).count() == 1

    # Same link again, and the same address through a new request: still one.
    client.post(confirm)
    client.post(url, {})  # now remembered in the session: supports directly
    other_browser = client.__class__()
    other_browser.post(url, {"email": "FAN@example.org", "website": ""})
    other_browser.post(link_in_mail("fan@example.org", "/participation/confirm/"))
    assert Support.objects.filter(contribution=contribution).count() == 1
    html = client.get(open_call.url).content.decode()
    assert "1 support<" in html and "Withdraw my support" in html


def test_signed_in_support_once_and_withdraw(client, open_call, approved, django_user_model):
    """Ensures that a signed-in person supports a contribution and the call once each and
    can withdraw their support."""
    contribution = approved()
    client.force_login(django_user_model.objects.create_user("u", "u@example.org", "pw"))
    url = reverse(
        "interlink_participation:support_contribution", args=[open_call.pk, contribution.pk]
    )
    client.post(url, {})
    client.post(url, {})
    assert Support.objects.filter(contribution=contribution).count() == 1
    call_url = reverse("interlink_participation:support_call", args=[open_call.pk])
    client.post(call_url, {})
    client.post(call_url, {})
    assert Support.objects.filter(call=open_call, contribution=None).count() == 1
    assert "1 person supports this call." in client.get(open_call.url).content.decode()

    client.post(url, {"action": "withdraw"})
    assert not Support.objects.filter(contribution=contribution).exists()
    client.post(call_url, {"action": "withdraw"})
    assert not Support.objects.exists()


def test_authors_withdraw_their_contribution(client, open_call):
    """Ensures that the author (confirmed in this session) can withdraw a published
    contribution, that others cannot, and that the withdrawal signal is sent."""
    client.post(
        reverse("interlink_participation:contribute", args=[open_call.pk]), contribution_form()
    )
    client.post(link_in_mail("maria@example.org", "/participation/confirm/"))
    contribution = Contribution.objects.get()
    contribution.state = ContributionState.APPROVED
    contribution.save()
    withdrawn = []
    signals.contribution_withdrawn.connect(
        lambda sender, contribution, **kw: withdrawn.append(contribution.pk), weak=False
    )
    url = reverse("interlink_participation:withdraw", args=[contribution.pk])
    stranger = client.__class__()
    assert stranger.post(url).status_code == 403
    assert "Withdraw my contribution" in client.get(open_call.url).content.decode()
    assert client.post(url).status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.WITHDRAWN
    assert withdrawn == [contribution.pk]
    assert "A phone line" not in client.get(open_call.url).content.decode()


def test_an_account_with_an_address_already_used_gets_its_own_participant(
    client, open_call, django_user_model
):
    """Ensures that signing up with an address someone used without an account neither
    fails nor takes over that person's record."""
    client.post(
        reverse("interlink_participation:contribute", args=[open_call.pk]), contribution_form()
    )
    user = django_user_model.objects.create_user("maria", "maria@example.org", "pw")
    client.force_login(user)
    data = contribution_form(body="Signed in now")
    del data["email"]
    assert (
        client.post(
            reverse("interlink_participation:contribute", args=[open_call.pk]), data
        ).status_code
        == 302
    )
    signed_in = Contribution.objects.get(body="Signed in now")
    assert signed_in.participant.user == user
    assert signed_in.participant.email is None
    assert Contribution.objects.get(body__startswith="A phone line").participant.user is None


def test_supporting_the_call_by_mail_then_withdrawing_in_the_session(client, open_call):
    """Ensures that a visitor without an account supports the call through the e-mail flow
    (nothing counted until the link's button is pressed), and, remembered in the session,
    withdraws that support with the page's button."""
    url = reverse("interlink_participation:support_call", args=[open_call.pk])
    client.post(url, {"email": "fan@example.org", "website": ""})
    assert not Support.objects.exists()
    client.post(link_in_mail("fan@example.org", "/participation/confirm/"))
    support = Support.objects.get()
    assert support.contribution is None and support.participant.email == "fan@example.org"
    html = client.get(open_call.url).content.decode()
    assert "1 person supports this call." in html
    assert "Withdraw my support for this call" in html

    assert client.post(url, {"action": "withdraw"}).status_code == 302
    assert not Support.objects.exists()
    html = client.get(open_call.url).content.decode()
    assert "Support this call" in html and "0 people support this call." in html


def test_supports_can_be_withdrawn_once_the_call_is_closed(client, open_call, approved):
    """Ensures that on a closed call a supporter still sees and uses the buttons withdrawing
    their supports (as the docs promise), while new supports are refused."""
    contribution = approved()
    call_url = reverse("interlink_participation:support_call", args=[open_call.pk])
    contribution_url = reverse(
        "interlink_participation:support_contribution", args=[open_call.pk, contribution.pk]
    )
    client.post(contribution_url, {"email": "fan@example.org", "website": ""})
    client.post(link_in_mail("fan@example.org", "/participation/confirm/"))
    client.post(call_url, {})  # remembered in the session: supports at once
    assert Support.objects.count() == 2

    open_call.status = "closed"
    open_call.save_revision().publish()
    html = client.get(open_call.url).content.decode()
    assert "Withdraw my support for this call" in html and "Withdraw my support<" in html
    assert "Support this call" not in html and "Reply<" not in html
    assert client.post(contribution_url, {}).status_code == 403

    assert client.post(contribution_url, {"action": "withdraw"}).status_code == 302
    assert client.post(call_url, {"action": "withdraw"}).status_code == 302
    assert not Support.objects.exists()


def test_replies_cannot_be_supported(client, open_call, approved, django_user_model):
    """Ensures that a direct POST cannot support a reply, which the page offers no button
    for."""
    reply = approved(body="A reply", email="r@example.org", parent=approved())
    client.force_login(django_user_model.objects.create_user("u", "u@example.org", "pw"))
    url = reverse("interlink_participation:support_contribution", args=[open_call.pk, reply.pk])
    assert client.post(url, {}).status_code == 404
    assert not Support.objects.exists()
