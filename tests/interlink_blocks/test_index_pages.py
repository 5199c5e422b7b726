"""Index pages: filters as plain GET forms (no JavaScript) and pagination that keeps them."""

import re

import pytest

from interlink_blocks.models import CallIndexPage, StoryPage


def listed(response) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)


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
    form = re.search(r"<form[^>]*>.*?</form>", html, re.S).group(0)
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
