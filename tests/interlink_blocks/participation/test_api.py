"""The participation REST API and its place in the OpenAPI schema."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from interlink_blocks.participation.models import Contribution, ContributionState, Support

from .conftest import link_in_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_list_shows_approved_contributions_only(api, open_call, approved):
    """Ensures that the list holds approved contributions with public author names only."""
    one = approved(body="Approved idea")
    Contribution.objects.create(call=open_call, body="Pending idea", state="pending")
    response = api.get(f"/api/v1/calls/{open_call.pk}/contributions/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [str(one.uuid)]
    assert results[0]["author"] == "Ana"
    assert "email" not in results[0] and "author@example.org" not in response.content.decode()


def test_create_requires_confirmation_without_an_account(api, open_call):
    """Ensures that an anonymous API contribution is stored unconfirmed and confirmed by the
    mailed link, like the form."""
    response = api.post(
        f"/api/v1/calls/{open_call.pk}/contributions/",
        {"body": "Through the API", "email": "robot@example.org", "kind": "question"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "unconfirmed"
    contribution = Contribution.objects.get()
    assert contribution.source == "api" and contribution.kind == "question"
    api.post(link_in_mail("robot@example.org", "/participation/confirm/"))
    assert Contribution.objects.get().state == ContributionState.PENDING


def test_create_validates_like_the_form(api, open_call, settings):
    """Ensures that the API refuses a missing address, an overlong body and a closed call."""
    settings.PARTICIPATION_MAX_BODY_LENGTH = 10
    url = f"/api/v1/calls/{open_call.pk}/contributions/"
    assert api.post(url, {"body": "short"}, format="json").status_code == 400
    too_long = api.post(url, {"body": "x" * 11, "email": "a@example.org"}, format="json")
    assert too_long.status_code == 400 and "body" in too_long.json()
    open_call.status = "closed"
    open_call.save_revision().publish()
    closed = api.post(url, {"body": "short", "email": "a@example.org"}, format="json")
    assert closed.status_code == 403
    assert not Contribution.objects.exists()


def test_create_is_throttled(api, open_call, settings):
    """Ensures that API writes past the configured rate get 429."""
    settings.PARTICIPATION_API_RATE = "2/hour"
    url = f"/api/v1/calls/{open_call.pk}/contributions/"
    codes = [
        api.post(url, {"body": "b", "email": f"a{n}@example.org"}, format="json").status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]
    assert Contribution.objects.count() == 2


def test_support_once_through_the_api(api, open_call, approved, django_user_model):
    """Ensures that a signed-in client supports once (409 the second time) and can withdraw,
    and that an anonymous client is asked to confirm by mail."""
    contribution = approved()
    url = f"/api/v1/contributions/{contribution.pk}/support/"
    anonymous = api.post(url, {"email": "fan@example.org"}, format="json")
    assert anonymous.status_code == 202
    assert any(m.to == ["fan@example.org"] for m in mail.outbox)
    assert not Support.objects.exists()

    api.force_authenticate(django_user_model.objects.create_user("u", "u@example.org", "pw"))
    assert api.post(url, {}, format="json").status_code == 201
    assert api.post(url, {}, format="json").status_code == 409
    assert Support.objects.count() == 1
    assert api.delete(url).status_code == 204
    assert not Support.objects.exists()


def test_endpoints_are_in_the_openapi_schema(api):
    """Ensures that list, create and support appear in the OpenAPI schema."""
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    import json

    schema = json.loads(response.content)
    paths = schema["paths"]
    contributions = paths["/api/v1/calls/{call_id}/contributions/"]
    assert {"get", "post"} <= set(contributions)
    assert "post" in paths["/api/v1/contributions/{contribution_id}/support/"]
    assert "ContributionCreate" in schema["components"]["schemas"]


def test_throttle_counts_the_connecting_address_not_a_forwarded_header(api, open_call, settings):
    """Ensures that a client cannot escape the API throttle by sending a new
    X-Forwarded-For header with each request: the throttle counts REMOTE_ADDR, like the
    forms' per-address limit."""
    settings.PARTICIPATION_API_RATE = "2/hour"
    url = f"/api/v1/calls/{open_call.pk}/contributions/"
    codes = [
        api.post(
            url,
            {"body": "b", "email": f"a{n}@example.org"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]


def test_the_api_supports_the_call_and_not_replies(api, open_call, approved, django_user_model):
    """Ensures that the API supports the call as the page does (once, withdrawable, also
    after the call closed), and refuses supports for replies, which the page does not offer."""
    parent = approved()
    reply = approved(body="A reply", email="r@example.org", parent=parent)
    api.force_authenticate(django_user_model.objects.create_user("u", "u@example.org", "pw"))
    call_support = f"/api/v1/calls/{open_call.pk}/support/"
    assert api.post(call_support, {}, format="json").status_code == 201
    assert api.post(call_support, {}, format="json").status_code == 409
    assert Support.objects.filter(call=open_call, contribution=None).count() == 1
    assert api.post(f"/api/v1/contributions/{reply.pk}/support/", {}).status_code == 404
    assert not Support.objects.filter(contribution=reply).exists()

    anonymous = APIClient()
    assert anonymous.post(call_support, {"email": "fan@example.org"}).status_code == 202
    assert any(m.to == ["fan@example.org"] for m in mail.outbox)

    open_call.status = "closed"
    open_call.save_revision().publish()
    assert api.post(f"/api/v1/contributions/{parent.pk}/support/", {}).status_code == 403
    assert api.delete(call_support).status_code == 204
    assert not Support.objects.exists()


def test_call_support_is_in_the_openapi_schema(api):
    """Ensures that supporting the call appears in the OpenAPI schema next to supporting a
    contribution, with both methods."""
    import json

    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = json.loads(response.content)["paths"]
    assert {"post", "delete"} <= set(paths["/api/v1/calls/{call_id}/support/"])
    assert {"post", "delete"} <= set(paths["/api/v1/contributions/{contribution_id}/support/"])
