"""The call page's cached fragments: cheaper, and never stale (interlink_blocks.fragments)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interlink_blocks import fragments
from interlink_blocks.models import FragmentGeneration, Sector
from interlink_blocks.participation.models import Participant, Support
from interlink_blocks.participation.services import contributions as contribution_service
from interlink_blocks.reuse.upstream import record_reuse_notice, record_reuse_withdrawn

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="[^"]+"')


def without_per_request_values(html: str) -> str:
    """The page without what every response has of its own: the CSRF token and the
    Content-Security-Policy nonce (each response's nonce matches its own header)."""
    return NONCE.sub("", CSRF.sub("", html))


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def html_of(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_runs_one_query_for_all_cached_parts(client, make_call, make_asset):
    """Ensures that once rendered, the facts, participation, reuse, similar-calls and
    related-assets parts cost one query together (the generation) instead of their own."""
    call = make_call(sectors=["education"])
    asset = make_asset()
    asset.related_calls.add(call)
    asset.save_revision().publish()
    with CaptureQueriesContext(connection) as first:
        cold = html_of(client, call)
    with CaptureQueriesContext(connection) as second:
        warm = html_of(client, call)
    assert without_per_request_values(cold) == without_per_request_values(warm)
    assert "Home-care service blueprint" in warm and "Education" in warm
    tables = " ".join(query["sql"] for query in second.captured_queries)
    for table in ("participation_contribution", "participation_support", "reuse_provenance"):
        assert table not in tables
    assert "interlink_blocks_fragmentgeneration" in tables
    assert len(second.captured_queries) <= len(first.captured_queries) - 5


def test_cached_html_is_what_an_uncached_render_shows(client, make_call, monkeypatch):
    """Ensures that caching changes nothing a visitor sees but the CSRF token (and the
    Content-Security-Policy nonce, new in every response)."""
    call = make_call()
    contribution_service.set_state(
        contribution_service.create_contribution(
            call, "Evening visits, please.", participant=_confirmed("a@example.org")
        ),
        "approved",
    )
    html_of(client, call)
    cached = html_of(client, call)
    monkeypatch.setattr(fragments, "cache_key", lambda *args, **kwargs: None)
    fresh = html_of(client, call)
    assert "Evening visits, please." in cached
    assert without_per_request_values(cached) == without_per_request_values(fresh)


def test_every_visitor_gets_their_own_working_csrf_token(make_call):
    """Ensures that the cached participation forms carry each request's own CSRF token,
    and that the token is accepted when the form is sent."""
    call = make_call()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    html_of(first, call)
    tokens = CSRF.findall(html_of(first, call))
    other = CSRF.findall(html_of(second, call))
    assert tokens and other and set(tokens).isdisjoint(other)
    response = second.post(
        reverse("interlink_participation:support_call", args=[call.pk]),
        {"csrfmiddlewaretoken": other[0], "email": "fan@example.org", "website": ""},
    )
    assert response.status_code in (200, 302)  # not 403: the token is valid


def test_approving_a_contribution_shows_it_at_once(client, make_call):
    """Ensures that moderation starts a new generation: the cached section is not served."""
    call = make_call()
    contribution = contribution_service.create_contribution(
        call, "A phone line for people without computers.", participant=_confirmed("b@x.org")
    )
    assert "A phone line" not in html_of(client, call)
    html_of(client, call)  # cached now
    contribution_service.set_state(contribution, "approved")
    assert "A phone line" in html_of(client, call)
    contribution_service.set_state(contribution, "rejected")
    assert "A phone line" not in html_of(client, call)


def test_a_new_support_updates_the_count(client, make_call):
    """Ensures that a support recorded anywhere changes the count others see."""
    call = make_call()
    assert "0 people support this call." in html_of(client, call)
    Support.objects.create(call=call, participant=_confirmed("c@example.org"))
    assert "1 person supports this call." in html_of(client, call)


def test_a_remembered_participant_sees_their_own_support(client, make_call):
    """Ensures that a participant remembered in the session is not served the anonymous
    cached section: they see the button to withdraw their support."""
    call = make_call()
    participant = _confirmed("d@example.org")
    Support.objects.create(call=call, participant=participant)
    assert "Withdraw my support for this call" not in html_of(client, call)
    session = client.session
    session["interlink_participant"] = participant.pk
    session.save()
    assert "Withdraw my support for this call" in html_of(client, call)
    assert "Withdraw my support for this call" not in html_of(Client(), call)


def test_publishing_or_unpublishing_a_related_asset_updates_the_list(client, make_call, make_asset):
    """Ensures that another page's publication starts a new generation."""
    call = make_call()
    assert "Related assets" not in html_of(client, call)
    asset = make_asset(title="Visit checklist", slug="visit-checklist")
    asset.related_calls.add(call)
    asset.save_revision().publish()
    assert "Visit checklist" in html_of(client, call)
    asset.unpublish()
    assert "Visit checklist" not in html_of(client, call)


def test_renaming_a_sector_shows_in_the_facts_at_once(client, make_call):
    """Ensures that a taxonomy change is not hidden by the cached facts."""
    call = make_call(sectors=["education"])
    assert "Education" in html_of(client, call)
    sector = Sector.objects.get(slug="education")
    sector.name = "Schools and learning"
    sector.save()
    assert "Schools and learning" in html_of(client, call)


def test_reuse_notices_appear_and_go(client, make_call):
    """Ensures that the reuse section follows notices, including ones withdrawn by update()."""
    call = make_call()
    assert "Reused by" not in html_of(client, call)
    record_reuse_notice(
        call,
        actor_url="https://other.example/actor",
        copy_object_id="https://other.example/objects/1",
        actor_name="Town of Other",
    )
    assert "Reused by 1 administration" in html_of(client, call)
    record_reuse_withdrawn("https://other.example/objects/1")
    assert "Reused by" not in html_of(client, call)


def test_a_change_made_by_another_process_is_seen(client, make_call):
    """Ensures that the generation is read from the database on each request: a change
    made elsewhere (another web process or the worker, whose cache this process does not
    share) shows as soon as that process starts a new generation."""
    call = make_call()
    participant = _confirmed("e@example.org")
    html_of(client, call)
    # Written without signals, as another process's change looks from here.
    Support.objects.bulk_create([Support(call=call, participant=participant)])
    assert "0 people support this call." in html_of(client, call)  # still cached
    FragmentGeneration.objects.filter(pk=fragments.ROW).update(value=F("value") + 1)
    assert "1 person supports this call." in html_of(client, call)


def test_a_new_revision_and_the_date_are_part_of_the_key(client, make_call):
    """Ensures that a republished call is rendered afresh, without any other change."""
    call = make_call(status="open")
    assert "Send contribution" in html_of(client, call)
    call.status = "closed"
    call.save_revision().publish()
    html = html_of(client, call)
    assert "Send contribution" not in html and "not accepting contributions" in html


def test_applying_search_updates_starts_a_new_generation(make_call):
    """Ensures that the "similar calls" section is re-rendered after the index changes."""
    from interlink_search.indexing import apply_pending, queue_update
    from interlink_search.registry import source_for_instance

    call = make_call()
    source = source_for_instance(call)
    before = fragments.current_generation()
    queue_update(source.name, call.pk, source.key(call), "upsert")
    apply_pending()
    assert fragments.current_generation() > before


def _confirmed(email: str) -> Participant:
    participant = Participant.objects.for_email(email)
    participant.confirm()
    return participant


def test_a_call_is_routed_in_one_query_with_the_generation(client, make_call, call_index):
    """Ensures that the call index reads a call and the generation in one query, and that
    another page type under the index, or a missing slug, still routes Wagtail's way."""
    from interlink_blocks.models import InformationPage

    call = make_call()
    html_of(client, call)
    with CaptureQueriesContext(connection) as queries:
        html_of(client, call)
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if "interlink_blocks_fragmentgeneration" in query["sql"]
    ]
    # One read of the generation, inside the query that fetches the call by its slug.
    assert len(reads) == 1 and "interlink_blocks_callpage" in reads[0] and "slug" in reads[0]
    other = call_index.add_child(instance=InformationPage(title="About the calls", slug="about"))
    other.save_revision().publish()
    assert client.get(other.url).status_code == 200
    assert client.get(f"{call_index.url}no-such-call/").status_code == 404
