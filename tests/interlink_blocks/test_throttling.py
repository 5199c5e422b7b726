"""The one throttle base (``interlink_blocks.throttling``): budgets in Django's cache."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from interlink_blocks.throttling import (
    Budget,
    Verdict,
    client_ip,
    first_refusal,
    sign_in_address,
)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_budget_counts_each_value_on_its_own():
    """Ensures that a budget allows ``rate`` hits per value, refuses the next with the
    seconds until its window turns, and counts other values apart."""
    budget = Budget("test:form", "2/h")
    verdicts = [budget.hit(None, "a@example.org") for _ in range(3)]
    assert [verdict.allowed for verdict in verdicts] == [True, True, False]
    assert 0 < verdicts[2].retry_after <= 3600
    assert budget.hit(None, "b@example.org").allowed
    assert Budget("test:other", "2/h").hit(None, "a@example.org").allowed


def test_peek_counts_nothing():
    """Ensures that ``peek`` says whether the next hit would be refused without counting."""
    budget = Budget("test:peek", (2, 3600))
    assert all(budget.peek(None, "x").allowed for _ in range(5))
    budget.hit(None, "x")
    assert budget.peek(None, "x").allowed
    budget.hit(None, "x")
    assert not budget.peek(None, "x").allowed


def test_an_unusable_cache_lets_requests_through(monkeypatch):
    """Ensures that a cache that fails (Redis down) neither refuses nor breaks requests."""

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)
    assert Budget("test:down", "1/h").hit(None, "x") == Verdict(True)


def test_the_client_address_is_remote_addr_only():
    """Ensures that a client cannot choose its address with X-Forwarded-For."""
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "192.0.2.7"


def test_sign_in_throttling_stores_an_address_or_nothing():
    """Ensures that django-axes gets a real address or None, never a word: its access log is
    an IP-address column, which PostgreSQL refuses to hold ``unknown`` in."""
    factory = RequestFactory()
    assert sign_in_address(factory.get("/", REMOTE_ADDR="2001:db8::1")) == "2001:db8::1"
    assert sign_in_address(factory.get("/", REMOTE_ADDR="")) is None
    assert sign_in_address(None) is None


@pytest.mark.django_db
def test_a_sign_in_without_a_client_address_is_logged(client, django_user_model):
    """Ensures that a sign-in with no client address (a unix socket, a login made in code)
    succeeds and leaves an access log without an address, on every database."""
    from axes.models import AccessLog

    user = django_user_model.objects.create_user("nobody-at-an-address", password="x")
    client.force_login(user)
    assert AccessLog.objects.get(username="nobody-at-an-address").ip_address is None


def test_the_longest_refusal_wins():
    """Ensures that of several budgets the one refusing longest sets Retry-After."""
    assert first_refusal(Verdict(True), Verdict(False, 5), Verdict(False, 9)) == Verdict(False, 9)
    assert first_refusal(Verdict(True)).allowed
