"""The account pages keep the visitor's language (issue #20, item 2): served under every
language prefix, and linked, posted to and left in the visitor's language."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["es", "it", "lv"])
def test_sign_in_pages_are_served_and_linked_in_the_visitors_language(language):
    """Ensures that the header's sign-in link and the sign-in forms' actions and links on a
    prefixed page stay under its prefix, and that the page is in that language."""
    html = Client().get(f"/{language}/accounts/login/code/").content.decode()
    assert re.search(rf'<html lang="{language}"', html)
    sign_in = re.search(r'<p class="site-account"><a href="([^"]+)"', html).group(1)
    assert sign_in == f"/{language}/accounts/login/code/"
    assert f'action="/{language}/accounts/login/code/"' in html
    assert f'href="/{language}/accounts/login/"' in html
    password = Client().get(f"/{language}/accounts/login/").content.decode()
    assert f'action="/{language}/accounts/login/"' in password


def test_the_default_language_keeps_its_unprefixed_addresses():
    """Ensures that English pages link the account pages without a prefix, as before."""
    html = Client().get("/accounts/login/code/").content.decode()
    assert '<p class="site-account"><a href="/accounts/login/code/"' in html
    assert 'action="/accounts/login/code/"' in html


@pytest.mark.parametrize("language", ["es", "lv"])
def test_signing_in_from_a_prefixed_page_stays_in_its_language(language, mailoutbox):
    """Ensures that allauth's own redirects from a prefixed sign-in page (the code request to
    its confirmation) keep the prefix, so the next page is in the visitor's language."""
    client = Client()
    response = client.post(f"/{language}/accounts/login/code/", {"email": "resident@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/{language}/accounts/login/code/confirm/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert re.search(rf'<html lang="{language}"', page.content.decode())


def test_english_sign_in_redirects_stay_unprefixed():
    """Ensures that the default language's redirects are left as allauth writes them."""
    response = Client().post("/accounts/login/code/", {"email": "resident@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/confirm/")
