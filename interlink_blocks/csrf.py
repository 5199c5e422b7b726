"""CSRF secrets and masks from one read of the OS's random source.

Django draws each of a token's 32 characters with its own ``secrets.choice``, that is
its own ``getrandom`` system call, and CPython releases the GIL around each one. A call
page's participation forms need a token on every view (two strings when the visitor has
no CSRF cookie yet: ≈ 66 calls), so in a threaded server (gunicorn's gthread) a request
gives the GIL away dozens of times and waits for it back after each: with a second busy
thread in the process ``get_token`` took ≈ 10 ms instead of 0.1 ms. The same strings,
as random, from one call cost ≈ 25 µs and do not wait.
"""

import secrets

from django.middleware import csrf

# The largest multiple of the alphabet's size that fits in a byte: keeping only bytes
# below it makes ``byte % size`` uniform, as Django's ``secrets.choice`` is.
_LIMIT = 256 - 256 % len(csrf.CSRF_ALLOWED_CHARS)


def new_csrf_string() -> str:
    """A CSRF secret or mask: ``CSRF_SECRET_LENGTH`` uniformly random allowed characters."""
    chars = csrf.CSRF_ALLOWED_CHARS
    drawn = ""
    while len(drawn) < csrf.CSRF_SECRET_LENGTH:
        # Twice the length, so one read almost always suffices (≈ 3 % of bytes are dropped).
        randomness = secrets.token_bytes(2 * csrf.CSRF_SECRET_LENGTH)
        drawn += "".join(chars[byte % len(chars)] for byte in randomness if byte < _LIMIT)
    return drawn[: csrf.CSRF_SECRET_LENGTH]


def install() -> None:
    """Make Django's CSRF middleware and ``get_token`` draw their strings with one call."""
    csrf._get_new_csrf_string = new_csrf_string
