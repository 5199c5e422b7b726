"""CSRF strings drawn with one read of the random source (interlink_blocks.csrf)."""

import secrets
from unittest import mock

from django.middleware import csrf as django_csrf
from django.test import RequestFactory

from interlink_blocks import csrf


def test_strings_have_djangos_length_and_alphabet_and_differ():
    """Ensures that each string has Django's length and alphabet, and that they differ."""
    strings = {csrf.new_csrf_string() for _ in range(200)}
    assert len(strings) == 200
    for value in strings:
        assert len(value) == django_csrf.CSRF_SECRET_LENGTH
        assert set(value) <= set(django_csrf.CSRF_ALLOWED_CHARS)


def test_bytes_that_would_bias_the_alphabet_are_dropped():
    """Ensures that bytes above the last whole multiple of the alphabet are dropped, so every
    character is as likely as the others."""
    length = django_csrf.CSRF_SECRET_LENGTH
    reads = iter([bytes([255] * 2 * length), bytes([0, 61, 62] * length)])
    with mock.patch("secrets.token_bytes", lambda n: next(reads)):
        value = csrf.new_csrf_string()
    assert value == ("a9a" * length)[:length]  # 255 dropped; 0 → a, 61 → 9, 62 → a


def test_django_uses_them_and_its_tokens_still_check():
    """Ensures that Django's middleware draws its strings here (one read each; a Django
    that renamed the function would fail this) and that its tokens still verify."""
    assert django_csrf._get_new_csrf_string is csrf.new_csrf_string
    request = RequestFactory().get("/")
    with mock.patch("secrets.token_bytes", wraps=secrets.token_bytes) as reads:
        token = django_csrf.get_token(request)
    assert reads.call_count == 2  # the secret and its mask, one read each
    secret = request.META["CSRF_COOKIE"]
    assert django_csrf._unmask_cipher_token(token) == secret
    assert django_csrf._does_token_match(token, secret)
