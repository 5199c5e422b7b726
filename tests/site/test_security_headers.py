"""Content-Security-Policy on public pages (django-csp) and sign-in throttling (django-axes)."""

import re

import pytest
from django.urls import reverse

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
# Event handler attributes (onclick=…) and javascript: URLs would need 'unsafe-inline'.
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=|javascript:", re.IGNORECASE)


@pytest.fixture
def public_paths(make_call, make_asset, story_index):
    call, asset = make_call(), make_asset()
    return ["/", call.url, asset.url, call.get_parent().url, "/discover/?q=care", "/federated/"]


def test_public_pages_send_a_policy_without_inline_script(client, public_paths):
    """Ensures that every public page sends a Content-Security-Policy that allows scripts
    only from our own files, and holds no inline script or handler that it would block;
    the theme's inline colour tokens carry the response's nonce."""
    for path in public_paths:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split(" ", 1) + [""])[:2] for part in policy.split("; ") if part.strip()
        )
        assert directives["script-src"] == "'self'", policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["object-src"] == "'none'"
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html).group())
        assert not INLINE_HANDLER.search(html), (path, INLINE_HANDLER.search(html).group())
        nonce = re.search(r"'nonce-([^']+)'", directives["style-src"]).group(1)
        for style in re.findall(r"<style[^>]*>", html):
            assert f'nonce="{nonce}"' in style, (path, style)


def test_the_admin_keeps_what_wagtail_needs(admin_client, home):
    """Ensures that the Wagtail admin (which has inline scripts of its own) gets no policy
    that would break it, and still works."""
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize("login_path", ["/admin/login/", "/django-admin/login/"])
def test_sign_in_is_throttled_after_repeated_failures(client, django_user_model, login_path):
    """Ensures that after five wrong passwords for a user from one address, even the right
    password is refused (429) and signs no one in: guessing cannot go on."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", "right-password")
    codes = [
        client.post(login_path, {"username": "editor", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]  # the form with its error, then locked
    locked = client.post(login_path, {"username": "editor", "password": "right-password"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out with this one.
    other = client.post(
        login_path, {"username": "editor", "password": "right-password"}, REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 302 and "_auth_user_id" in client.session
    assert reverse("wagtailadmin_home") == "/admin/"


def test_sign_ins_that_name_the_account_by_e_mail_are_counted_too(rf, db):
    """Ensures that axes counts failures of any authenticate() call, whatever the credential
    naming the account (django-allauth sends ``email``): after five, that account is locked
    from that address, and no other account or address is."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.contrib.auth import authenticate

    def attempt():
        request = rf.post("/accounts/login/", REMOTE_ADDR="192.0.2.20")
        authenticate(request, email="Citizen@Example.org", password="wrong")
        return request

    for _ in range(5):
        request = attempt()
    assert AxesProxyHandler.is_locked(request, {"email": "citizen@example.org"})
    # Per account: another account from the same address is not locked with this one.
    assert not AxesProxyHandler.is_locked(request, {"email": "neighbour@example.org"})
    other = rf.post("/accounts/login/", REMOTE_ADDR="192.0.2.21")
    assert not AxesProxyHandler.is_locked(other, {"email": "citizen@example.org"})
