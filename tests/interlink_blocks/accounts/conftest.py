import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_cache():
    """Ensures allauth's and participation's rate limits start empty for every test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_call(make_call):
    return make_call(contact_email="team@example.org", contact_name="Home-care team")
