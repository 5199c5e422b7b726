"""Changes that alter a published page's document without publishing it: moves,
view restrictions and site renames (shared suite, both backends)."""

import pytest
from wagtail.models import PageViewRestriction, Site

from interlink_blocks.models import CallIndexPage
from interlink_search.types import SearchQuery


def document(backend, page):
    hits = backend.search(SearchQuery(size=50)).hits
    found = [hit for hit in hits if hit.key == f"page:{page.uuid}"]
    return found[0].document if found else None


@pytest.fixture
def other_index(home, committed):
    return committed(home.add_child, instance=CallIndexPage(title="Archived calls", slug="archive"))


def test_moving_a_page_updates_its_url_and_those_below(
    backend, committed, call_index, other_index, publish_call
):
    """Ensures that moving a call, or a section with calls in it, re-indexes the moved
    pages with their new URLs."""
    call = publish_call(title="Night bus routes")
    assert document(backend, call)["url"] == "/calls/night-bus-routes/"

    committed(call.move, other_index, pos="last-child")
    backend.refresh()
    assert document(backend, call)["url"] == "/archive/night-bus-routes/"

    section, calls = (CallIndexPage.objects.get(pk=p.pk) for p in (other_index, call_index))
    committed(section.move, calls, pos="last-child")  # the whole section, under calls
    backend.refresh()
    assert document(backend, call)["url"] == "/calls/archive/night-bus-routes/"


def test_view_restrictions_take_pages_out_and_back(backend, committed, call_index, publish_call):
    """Ensures that restricting a section removes every page below it from the index at
    once (no publish needed), and that lifting the restriction brings them back."""
    calls = [publish_call(title=f"Night bus call {n}") for n in range(2)]
    restriction = committed(
        PageViewRestriction.objects.create, page=call_index, restriction_type="login"
    )
    backend.refresh()
    assert backend.search(SearchQuery(text="night")).total == 0

    committed(restriction.delete)
    backend.refresh()
    assert {hit.key for hit in backend.search(SearchQuery(text="night")).hits} == {
        f"page:{call.uuid}" for call in calls
    }


def test_renaming_the_site_renames_the_municipality(backend, committed, publish_call):
    """Ensures that the site's name, the municipality of its pages, follows a rename."""
    publish_call(title="Night bus routes")
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Town of Example"
    committed(site.save)
    backend.refresh()
    results = backend.search(SearchQuery())
    assert {b.value: b.count for b in results.facets["municipality"]} == {"Town of Example": 1}


def test_a_new_site_root_takes_the_old_tree_out_and_the_new_one_in(
    backend, committed, home, publish_call
):
    """Ensures that pointing the site at another root page removes the calls no site
    serves any more and indexes those under the new root, and that deleting the site
    removes its tree."""
    from interlink_blocks.models import CallPage, MunicipalityHomePage

    old_call = publish_call(title="Night bus routes")
    new_home = committed(
        home.get_parent().add_child,
        instance=MunicipalityHomePage(title="New home", slug="new-home"),
    )
    new_index = committed(new_home.add_child, instance=CallIndexPage(title="Calls", slug="calls"))
    new_call = committed(
        new_index.add_child,
        instance=CallPage(
            title="Library hours", summary="Longer opening hours.", status="draft_idea"
        ),
    )
    committed(new_call.save_revision().publish)
    backend.refresh()
    assert document(backend, old_call) is not None
    assert document(backend, new_call) is None  # no site serves it yet

    site = Site.objects.get(is_default_site=True)
    site.root_page = new_home
    committed(site.save)
    backend.refresh()
    assert document(backend, old_call) is None
    assert document(backend, new_call)["url"] == "/calls/library-hours/"

    committed(site.delete)
    backend.refresh()
    assert document(backend, new_call) is None
