"""Signing in by a mailed code (django-allauth), an optional password, signing out."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from interlink_blocks.participation.models import Contribution, Participant
from interlink_blocks.participation.services import contributions as contribution_service
from tests.support.accounts import last_code, sign_in_by_code


def signed_in_user(client):
    return client.get(reverse("interlink_accounts:home")).wsgi_request.user


def test_a_new_address_gets_an_account_by_code(client, db):
    """Ensures that a person without an account signs in by typing their address and the
    code mailed to it: the account is made, the address verified, no password set."""
    response = sign_in_by_code(client, "Nora@Example.org")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nora@example.org")
    assert signed_in_user(client) == user
    assert EmailAddress.objects.get(user=user).verified
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser


def test_a_public_account_never_opens_the_admin(client, db):
    """Ensures that an account made by signing in gets no Wagtail admin access."""
    sign_in_by_code(client, "nora@example.org")
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = get_user_model().objects.get(email="nora@example.org")
    assert not user.has_perm("wagtailadmin.access_admin")


def test_a_wrong_code_signs_nobody_in(client, db):
    """Ensures that typing someone's address proves nothing: without the mailed code the
    visitor stays anonymous and the address unverified."""
    response = client.post(reverse("account_request_login_code"), {"email": "nora@example.org"})
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": "WRONG1"})
    assert response.status_code == 200
    assert not signed_in_user(client).is_authenticated
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_known_and_unknown_addresses_get_the_same_answer(client, db, django_user_model):
    """Ensures that the sign-in page tells nobody whether an address has an account."""
    django_user_model.objects.create_user("known", "known@example.org")
    known = client.post(reverse("account_request_login_code"), {"email": "known@example.org"})
    client.logout()
    unknown = client.post(reverse("account_request_login_code"), {"email": "new@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_a_staff_address_gets_no_code(client, db, django_user_model):
    """Ensures that a staff account is never opened by a mailed code: the mail points at
    the admin's own sign-in, and no code signs in."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    response = client.post(reverse("account_request_login_code"), {"email": "editor@example.org"})
    assert response.status_code == 302
    (message,) = [m for m in mail.outbox if "editor@example.org" in m.to]
    assert "/admin/login/" in message.body
    client.post(response["Location"], {"code": "ABCDEF"})
    assert not signed_in_user(client).is_authenticated


def test_confirmed_participant_is_linked_to_the_account(client, open_call):
    """Ensures that a person who took part by mailed links finds their contributions under
    the account made with the same address."""
    participant = Participant.objects.for_email("ana@example.org")
    participant.confirm("Ana")
    contribution_service.create_contribution(open_call, "An idea", participant=participant)
    sign_in_by_code(client, "ana@example.org")
    participant.refresh_from_db()
    user = get_user_model().objects.get(email="ana@example.org")
    assert participant.user == user
    assert Participant.objects.count() == 1
    assert Contribution.objects.get().participant == participant


def test_signed_in_person_takes_part_in_one_step(client, open_call):
    """Ensures that a signed-in person supports, contributes and asks to join without a
    mailed confirmation each time."""
    sign_in_by_code(client, "ana@example.org")
    mail.outbox.clear()
    client.post(reverse("interlink_participation:support_call", args=[open_call.pk]))
    client.post(
        reverse("interlink_participation:contribute", args=[open_call.pk]),
        {"kind": "idea", "body": "Phone requests please"},
    )
    client.post(
        reverse("interlink_participation:join", args=[open_call.pk]),
        {"role": "citizen", "motivation": "I care for my mother.", "name": "Ana"},
    )
    participant = Participant.objects.get(user__email="ana@example.org")
    assert participant.supports.filter(call=open_call).exists()
    assert participant.contributions.get().state == "pending"
    assert participant.team_requests.get().state == "pending"
    assert not [m for m in mail.outbox if "ana@example.org" in m.to]


def test_optional_password_and_sign_out(client, db):
    """Ensures that a person may set a password, sign out, and sign in with it."""
    sign_in_by_code(client, "nora@example.org")
    response = client.post(
        reverse("account_set_password"),
        {"password1": "a long walk to the river", "password2": "a long walk to the river"},
    )
    assert response.status_code == 302
    client.post(reverse("account_logout"))
    assert not signed_in_user(client).is_authenticated
    response = client.post(
        reverse("account_login"),
        {"login": "nora@example.org", "password": "a long walk to the river"},
    )
    assert response.status_code == 302
    assert signed_in_user(client).email == "nora@example.org"


def test_sign_in_pages_render_with_accessible_forms(client, db):
    """Ensures that the sign-in pages render in the site's layout, with labelled fields."""
    response = client.get(reverse("account_request_login_code"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_email"' in html and "il-form" in html and "<main" in html
    response = client.post(reverse("account_request_login_code"), {"email": "not-an-address"})
    assert "il-error-summary" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(reverse("account_request_login_code"), {"email": "nora@example.org"})
    html = client.get(response["Location"]).content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert last_code("nora@example.org")
