"""Fixtures for participation tests: an open call with a contact, mail-link helpers, staff."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from interlink_blocks.participation import signals
from interlink_blocks.participation.models import Contribution, Participant
from interlink_blocks.participation.services import contributions as contribution_service


@pytest.fixture(autouse=True)
def clear_cache():
    """Ensures rate-limit counters and DRF throttles start empty for every test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_call(make_call):
    return make_call(contact_email="team@example.org", contact_name="Home-care team")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("moderator", "mod@example.org", "pw")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def link_in_mail(to: str, path_part: str) -> str:
    """The path of the last link containing ``path_part`` mailed to ``to``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            match = re.search(
                r"https?://[^/\s]+(\S*?" + re.escape(path_part) + r"\S*)", message.body
            )
            if match:
                return match.group(1)
    raise AssertionError(f"no mail to {to} with a {path_part} link")


@pytest.fixture
def received():
    """Collects the participation signals sent during a test, as (signal, contribution id)."""
    seen = []
    watched = (
        signals.contribution_approved,
        signals.contribution_withdrawn,
        signals.contribution_removed,
    )

    def handler(signal, sender, contribution, **kwargs):
        seen.append((signal, contribution.pk))

    for signal in watched:
        signal.connect(handler, weak=False)
    yield seen
    for signal in watched:
        signal.disconnect(handler)


@pytest.fixture
def approved(open_call):
    """Creates an approved contribution by a confirmed participant."""

    def make(body="Let families request home care online.", email="author@example.org", **kw):
        participant = Participant.objects.for_email(email)
        participant.confirm()
        contribution = contribution_service.create_contribution(
            kw.pop("call", open_call), body, participant=participant, author_name="Ana", **kw
        )
        contribution_service.set_state(contribution, "approved")
        contribution.refresh_from_db()
        return contribution

    return make


def contribution_form(**overrides):
    data = {
        "kind": "idea",
        "title": "",
        "body": "A phone line for people who do not use computers.",
        "name": "Maria",
        "email": "maria@example.org",
        "website": "",
    }
    data.update(overrides)
    return data


__all__ = ["Contribution", "contribution_form", "link_in_mail"]
