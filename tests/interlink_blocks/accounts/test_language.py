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
