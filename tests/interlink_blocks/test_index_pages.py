"""Index pages: filters as plain GET forms (no JavaScript) and pagination that keeps them."""

import datetime
import re

import pytest

from interlink_blocks.models import CallIndexPage, LifeEvent, StoryIndexPage, StoryPage


def listed(response) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)


def filter_form(html: str) -> str:
    """The index's filter form (the site's header may hold a search form of its own)."""
    return re.search(r'<form[^>]*class="filters".*?</form>', html, re.S).group(0)


@pytest.fixture
def many_calls(make_call, monkeypatch):
    """5 open health calls (more than one page of 3), 2 completed education calls, 1 draft."""
    monkeypatch.setattr(CallIndexPage, "page_size", 3)
    for number in range(5):
        make_call(
            title=f"Health call {number:02d}",
            slug=f"health-{number}",
            sectors=["social-health-care"],
        )
    for number in range(2):
        make_call(
            title=f"School call {number}",
            slug=f"school-{number}",
            status="completed",
            phase="sustain",
            sectors=["education"],
        )
    make_call(title="Draft call", slug="draft", publish=False)


def test_call_index_filter_form_is_a_plain_get_form(client, call_index, many_calls):
    """Ensures that the call index offers its filters as a labelled GET form that needs no script."""
    html = client.get(call_index.url).content.decode()
    form = filter_form(html)
    assert 'method="get"' in form
    for name in ("status", "phase", "sector", "participant"):
        assert f'name="{name}"' in form
        assert re.search(rf'<label for="id_{name}">', form)
    assert 'type="submit"' in form
    main = html[html.index("<main") : html.index("</main>")]
    assert "<script" not in main


def test_call_index_filters_by_status_phase_and_sector(client, call_index, many_calls):
    """Ensures that submitting the form's query string narrows the listing, and drafts never show."""
    assert listed(client.get(call_index.url, {"status": "completed"})) == [
        "School call 0",
        "School call 1",
    ]
    assert listed(client.get(call_index.url, {"phase": "sustain", "sector": "education"})) == [
        "School call 0",
        "School call 1",
    ]
    assert listed(client.get(call_index.url, {"sector": "employment"})) == []
    everything = listed(client.get(call_index.url, {"page": 2})) + listed(
        client.get(call_index.url)
    )
    everything += listed(client.get(call_index.url, {"page": 3}))
    assert "Draft call" not in everything and len(everything) == 7
    html = client.get(call_index.url, {"status": "completed"}).content.decode()
    assert re.search(r'<option value="completed" selected>', html)  # the form keeps the choice


def test_pagination_keeps_the_filters(client, call_index, many_calls):
    """Ensures that the next-page link carries the filters, and page 2 is still filtered."""
    first = client.get(call_index.url, {"status": "open", "sector": "social-health-care"})
    assert len(listed(first)) == 3
    html = first.content.decode()
    next_link = re.search(r'<a href="\?([^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    assert "status=open" in next_link and "sector=social-health-care" in next_link
    assert "page=2" in next_link
    second = client.get(f"{call_index.url}?{next_link}")
    assert listed(second) == ["Health call 03", "Health call 04"]
    assert 'rel="prev"' in second.content.decode()


def test_invalid_filter_value_shows_an_error_and_the_full_list(client, call_index, many_calls):
    """Ensures that a hand-edited, unknown filter value explains itself instead of failing."""
    response = client.get(call_index.url, {"status": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(listed(response)) == 3


def test_out_of_range_page_shows_the_last_page(client, call_index, many_calls):
    """Ensures that a page number past the end (or not a number) still answers with a listing."""
    assert listed(client.get(call_index.url, {"page": 99})) == ["School call 1"]
    assert listed(client.get(call_index.url, {"page": "x"})) == [
        "Health call 00",
        "Health call 01",
        "Health call 02",
    ]


def test_asset_index_filters_by_form_and_licence(client, asset_index, make_asset):
    """Ensures that the asset index filters by form, licence and scope through GET parameters."""
    make_asset(title="Blueprint", slug="blueprint")
    make_asset(
        title="Data", slug="data", form="dataset", licence="ODbL-1.0", administrative_scope="eu"
    )
    make_asset(title="Hidden canvas", slug="canvas", form="canvas", publish=False)
    assert listed(client.get(asset_index.url)) == ["Blueprint", "Data"]
    assert listed(client.get(asset_index.url, {"form": "dataset"})) == ["Data"]
    assert listed(client.get(asset_index.url, {"licence": "CC-BY-4.0"})) == ["Blueprint"]
    assert listed(client.get(asset_index.url, {"scope": "eu"})) == ["Data"]
    assert listed(client.get(asset_index.url, {"form": "canvas"})) == []


def test_story_index_lists_published_stories(client, story_index, make_call):
    """Ensures that the story index lists live stories, newest first."""
    call = make_call(status="completed")
    for title in ("First story", "Second story"):
        story = story_index.add_child(
            instance=StoryPage(title=title, summary="What changed.", call=call)
        )
        story.save_revision().publish()
    draft = story_index.add_child(instance=StoryPage(title="Draft story", summary="x", live=False))
    assert not draft.live
    assert listed(client.get(story_index.url)) == ["Second story", "First story"]


@pytest.fixture
def many_stories(story_index, make_call, make_asset, monkeypatch):
    """Three health stories (2024, 2025, 2026), a school story (2026) and a draft, two a page.

    The 2025 health story gets its sector from the asset it produced, not from its call.
    """
    monkeypatch.setattr(StoryIndexPage, "page_size", 2)
    health = make_call(
        title="Home care", slug="home-care", status="completed", sectors=["social-health-care"]
    )
    health.life_events.set(LifeEvent.objects.filter(slug="falling-ill"))
    health.save_revision().publish()
    school = make_call(
        title="Libraries", slug="libraries", status="completed", sectors=["education"]
    )
    unsorted = make_call(title="Street lights", slug="lights", status="completed")
    care_guide = make_asset(title="Care guide", slug="care-guide", sectors=["social-health-care"])

    def story(title, call, published: str, assets=(), publish=True):
        page = StoryPage(
            title=title,
            summary="What changed.",
            call=call,
            first_published_at=datetime.datetime.fromisoformat(f"{published}T12:00:00+00:00"),
            live=publish,
        )
        page = story_index.add_child(instance=page)
        page.produced_assets = list(assets)
        revision = page.save_revision()
        if publish:
            revision.publish()
        return page

    story("Care at home, first year", health, "2024-06-01")
    story("Carer network", unsorted, "2025-06-01", assets=[care_guide])
    story("Care at home, third year", health, "2026-03-01")
    story("Quiet rooms", school, "2026-05-01")
    story("Unpublished care story", health, "2026-05-02", publish=False)


def test_story_index_filter_form_is_a_plain_get_form(client, story_index, many_stories):
    """Ensures that the story index offers sector, life event and year as a labelled GET form."""
    html = client.get(story_index.url).content.decode()
    form = filter_form(html)
    assert 'method="get"' in form and 'type="submit"' in form
    for name in ("q", "sector", "life_event", "year"):
        assert f'name="{name}"' in form
        assert re.search(rf'<label for="id_{name}">', form)
    # Only the years that have a published story are offered, newest first.
    years = re.findall(r'<option value="(\d{4})"', form)
    assert years == ["2026", "2025", "2024"]
    assert "4 stories" in html


def test_story_index_filters_by_sector_life_event_and_year(client, story_index, many_stories):
    """Ensures that stories are narrowed by their call's (or assets') sector, life event and year."""
    url = story_index.url
    assert listed(client.get(url, {"sector": "social-health-care", "page": 1})) == [
        "Care at home, third year",
        "Carer network",
    ]
    assert listed(client.get(url, {"sector": "social-health-care", "page": 2})) == [
        "Care at home, first year"
    ]
    assert listed(client.get(url, {"sector": "education"})) == ["Quiet rooms"]
    assert listed(client.get(url, {"life_event": "falling-ill"})) == [
        "Care at home, third year",
        "Care at home, first year",
    ]
    assert listed(client.get(url, {"year": "2026"})) == ["Quiet rooms", "Care at home, third year"]
    assert listed(client.get(url, {"year": "2025", "sector": "social-health-care"})) == [
        "Carer network"
    ]
    assert listed(client.get(url, {"q": "network"})) == ["Carer network"]
    html = client.get(url, {"sector": "employment"}).content.decode()
    assert "No stories match these filters." in html and "0 stories" in html
    html = client.get(url, {"year": "2026"}).content.decode()
    assert re.search(r'<option value="2026" selected>', html)


def test_story_index_pagination_keeps_the_filters(client, story_index, many_stories):
    """Ensures that the story index's next-page link carries its filters."""
    first = client.get(story_index.url, {"sector": "social-health-care"})
    html = first.content.decode()
    next_link = re.search(r'<a href="\?([^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    assert "sector=social-health-care" in next_link and "page=2" in next_link
    assert listed(client.get(f"{story_index.url}?{next_link}")) == ["Care at home, first year"]


def test_story_index_unknown_filter_value_shows_an_error_and_all_stories(
    client, story_index, many_stories
):
    """Ensures that an unknown sector or year explains itself above the unfiltered list."""
    for query in ({"sector": "astrology"}, {"year": "1999"}):
        response = client.get(story_index.url, query)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert listed(response) == ["Quiet rooms", "Care at home, third year"]


@pytest.mark.parametrize("language", ["en", "es", "lv"])
def test_taxonomy_filters_are_in_the_readers_alphabetical_order(db, language):
    """Ensures that sector and life-event options are sorted by the names shown in the
    reader's language (seeded names are translated), not by their English names."""
    from django.utils import translation

    from interlink_blocks.filters import CallFilterSet, reading_order
    from interlink_blocks.models import Sector

    with translation.override(language):
        form = CallFilterSet(data={}, queryset=None).form
        for name in ("sector", "life_event"):
            labels = [str(label) for value, label in form.fields[name].choices if value]
            assert len(labels) > 3
            assert labels == sorted(labels, key=reading_order), (name, labels)
        shown = [str(label) for value, label in form.fields["sector"].choices if value]
        assert shown == sorted((str(sector) for sector in Sector.objects.all()), key=reading_order)
