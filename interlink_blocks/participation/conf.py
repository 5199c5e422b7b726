"""Participation settings, each with its default. Override any of them in Django settings.

``PARTICIPATION_REPORTS_TO_HIDE``
    Distinct reports after which a contribution is hidden until staff review it (3).
``PARTICIPATION_MAX_BODY_LENGTH`` / ``PARTICIPATION_MAX_MOTIVATION_LENGTH``
    Longest accepted contribution text and team-request motivation, in characters.
``PARTICIPATION_RATE_LIMITS``
    ``{"ip": (count, seconds), "email": (count, seconds)}``: submissions allowed per client
    address and per e-mail address within the window, counted in Django's cache.
``PARTICIPATION_API_RATE``
    DRF throttle rate for creating contributions and supports through the API.
``PARTICIPATION_NOTIFY``
    ``"immediate"`` (one e-mail per event to the call's contact), ``"digest"`` (collected and
    sent by ``manage.py send_participation_digest``, e.g. daily from cron) or ``"off"``.
``PARTICIPATION_RETENTION_DAYS``
    Days a participant's personal data is kept after their last activity (730), with or
    without an account; after that ``manage.py prune_participation_data`` deletes the person
    (not their account) and keeps their approved contributions as "deleted participant".
    Forms asking for an address state it.
``PARTICIPATION_UNCONFIRMED_DAYS``
    Days an unconfirmed submission (and its e-mail address) waits for confirmation (7).
``PARTICIPATION_LINK_MAX_AGE_DAYS``
    Validity of mailed confirmation and personal-data links (7).
"""

from django.conf import settings

DEFAULTS = {
    "PARTICIPATION_REPORTS_TO_HIDE": 3,
    "PARTICIPATION_MAX_BODY_LENGTH": 5000,
    "PARTICIPATION_MAX_MOTIVATION_LENGTH": 1000,
    "PARTICIPATION_RATE_LIMITS": {"ip": (20, 3600), "email": (10, 3600)},
    "PARTICIPATION_API_RATE": "30/hour",
    "PARTICIPATION_NOTIFY": "immediate",
    "PARTICIPATION_RETENTION_DAYS": 730,
    "PARTICIPATION_UNCONFIRMED_DAYS": 7,
    "PARTICIPATION_LINK_MAX_AGE_DAYS": 7,
}


def get(name: str):
    """The setting's current value (read each time, so tests can override it)."""
    return getattr(settings, name, DEFAULTS[name])
