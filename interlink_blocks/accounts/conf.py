"""Accounts settings, each with its default. Override any of them in Django settings.

``ACCOUNTS_OPEN``
    Whether an address without an account gets one by signing in with a mailed code (True).
    False: only existing accounts (and staff invitations) can sign in.
``ACCOUNTS_UNUSED_DAYS``
    Days an account created by asking for a code, but never signed into, is kept (7);
    ``manage.py prune_accounts`` deletes it after that.
"""

from django.conf import settings

DEFAULTS = {
    "ACCOUNTS_OPEN": True,
    "ACCOUNTS_UNUSED_DAYS": 7,
}


def get(name: str):
    """The setting's current value (read each time, so tests can override it)."""
    return getattr(settings, name, DEFAULTS[name])
