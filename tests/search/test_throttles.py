"""Request budgets of the discovery API, page and suggestions (``interlink_search.throttles``)."""

import pytest


@pytest.fixture
def tight_limits(settings):
    # Hour-long windows: budgets count in fixed windows, and a minute could turn mid-test.
    settings.SEARCH_RATE_LIMITS = {"api": "1/h", "page": "2/h", "suggest": "1/h"}


def test_the_page_says_plainly_when_a_client_searched_too_often(db, client, tight_limits):
    """Ensures that over its budget the page answers 429 with Retry-After and a plain
    message, searching nothing, whatever ``X-Forwarded-For`` the client sends."""
    assert client.get("/discover/", {"q": "bus"}).status_code == 200
    assert client.get("/discover/", {"q": "bus"}).status_code == 200
    # A client cannot pose as another address with a header of its own.
    refused = client.get("/discover/", {"q": "bus"}, HTTP_X_FORWARDED_FOR="127.0.0.2")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "Too many searches have come from your connection" in html
    assert 'role="alert"' in html and "results-heading" not in html


def test_staff_are_not_limited(db, client, admin_user, tight_limits):
    """Ensures that a signed-in user's searches are not counted against a budget."""
    client.force_login(admin_user)
    assert {client.get("/discover/", {"q": "bus"}).status_code for _ in range(4)} == {200}


def test_suggestions_and_the_api_have_budgets_of_their_own(db, client, tight_limits):
    """Ensures that suggestions over their budget answer 429 with an empty list (the box
    keeps working), that empty prefixes cost nothing, that the API has its own budget,
    and that none of them uses up the page's."""
    assert client.get("/discover/suggest/", {"q": " "}).status_code == 200
    assert client.get("/discover/suggest/", {"q": "bu"}).status_code == 200
    refused = client.get("/discover/suggest/", {"q": "bus"})
    assert refused.status_code == 429 and refused.json() == {"suggestions": []}
    assert int(refused["Retry-After"]) > 0
    assert client.get("/api/v1/discover/", {"q": "bus"}).status_code == 200
    api_refused = client.get("/api/v1/discover/", {"q": "bus"})
    assert api_refused.status_code == 429 and "Retry-After" in api_refused
    assert client.get("/discover/", {"q": "bus"}).status_code == 200
