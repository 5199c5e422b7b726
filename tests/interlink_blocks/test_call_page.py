"""The call page's timeline and facts: accessible markup, cached per published revision, no N+1."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interlink_blocks.blocks import default_schema
from interlink_blocks.models import Sector


def test_timeline_marks_done_current_and_upcoming_phases(client, make_call):
    """Ensures that the timeline is an ordered list with the current phase marked for screen readers."""
    call = make_call(phase="build")
    html = client.get(call.url).content.decode()
    timeline = html[
        html.index('<ol class="il-timeline"') : html.index(
            "</ol>", html.index('<ol class="il-timeline"')
        )
    ]
    assert timeline.count('aria-current="step"') == 1
    assert "il-timeline__phase--done" in timeline and "il-timeline__phase--upcoming" in timeline
    titles = [
        timeline.index(f'il-timeline__title">{name}') for name in ("Design", "Build", "Sustain")
    ]
    current = timeline.index('aria-current="step"')
    assert titles[0] < current < titles[1] < titles[2]


def test_republishing_a_call_updates_its_cached_timeline(client, make_call):
    """Ensures that the cached timeline follows each publication, never showing a stale plan."""
    cache.clear()
    call = make_call()
    assert "Map the people and organisations concerned" in client.get(call.url).content.decode()
    schema = default_schema()
    schema[0]["value"]["objectives"][0]["tasks"][0]["title"] = "Meet the district councils"
    call.coproduction_schema = schema
    call.save_revision().publish()
    html = client.get(call.url).content.decode()
    assert "Meet the district councils" in html
    assert "Map the people and organisations concerned" not in html


def test_timeline_is_rendered_once_per_revision(client, make_call, monkeypatch):
    """Ensures that further views of a published call reuse the rendered timeline."""
    from interlink_blocks.templatetags import interlink_timeline

    cache.clear()
    call = make_call()
    renders = []
    original = interlink_timeline.render_to_string

    def counting(*args, **kwargs):
        renders.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(interlink_timeline, "render_to_string", counting)
    first = client.get(call.url).content.decode()
    second = client.get(call.url).content.decode()
    assert renders == [interlink_timeline.TEMPLATE]
    assert 'aria-current="step"' in first and first.count("il-timeline__phase") == second.count(
        "il-timeline__phase"
    )


def test_preview_renders_the_timeline_fresh(client, admin_user, make_call):
    """Ensures that an editor's preview shows the edited plan, not the cached published one."""
    from django.urls import reverse

    from .admin_forms import call_form_data, schema_form_data

    cache.clear()
    call = make_call()
    client.get(call.url)  # fills the cache
    client.force_login(admin_user)
    schema = default_schema()
    schema[0]["value"]["objectives"][0]["tasks"][0]["title"] = "Walk the neighbourhood"
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(call.pk,))
    data = call_form_data(slug=call.slug, coproduction_schema=schema_form_data(schema))
    assert client.post(preview_url, data).json()["is_valid"]
    assert "Walk the neighbourhood" in client.get(preview_url).content.decode()


def test_republishing_a_call_updates_its_cached_facts(client, make_call):
    """Ensures that the cached facts (status, phase, sectors) follow each publication."""
    cache.clear()
    call = make_call(sectors=["social-health-care"])
    html = client.get(call.url).content.decode()
    assert "Social and health care" in html and ">Design<" in html
    call.phase = "build"
    call.sectors = list(Sector.objects.filter(slug="education"))
    call.save_revision().publish()
    html = client.get(call.url).content.decode()
    facts = html[html.index('<dl class="meta">') : html.index("</dl>")]
    assert "Education" in facts and "Social and health care" not in facts
    assert ">Build<" in facts


def test_related_assets_cost_the_same_queries_however_many(client, make_call, make_asset):
    """Ensures that listing a call's related assets has no N+1: one asset or five, same queries."""
    call = make_call()

    def queries_with(count: int) -> int:
        for number in range(count - len(call.live_related_assets)):
            asset = make_asset(title=f"Asset {count}-{number}", slug=f"asset-{count}-{number}")
            asset.related_calls.add(call)
            asset.save_revision().publish()
        client.get(call.url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(call.url).content.decode()
        assert html.count('href="/assets/asset-') == count
        return len(queries.captured_queries)

    assert queries_with(1) == queries_with(5)


def test_related_assets_leave_out_drafts_and_private_assets(
    client, make_call, make_asset, asset_index
):
    """Ensures that a call lists only live related assets without view restrictions (own or inherited)."""
    from wagtail.models import PageViewRestriction

    from interlink_blocks.models import AssetIndexPage

    call = make_call()
    visible = make_asset(title="Public blueprint", slug="public")
    private = make_asset(title="Private checklist", slug="private")
    draft = make_asset(title="Draft canvas", slug="draft", publish=False)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    staff = asset_index.get_parent().add_child(instance=AssetIndexPage(title="Staff", slug="staff"))
    inherited = staff.add_child(
        instance=type(visible)(title="Staff guide", slug="staff-guide", summary="x", form="guide")
    )
    PageViewRestriction.objects.create(page=staff, restriction_type="login")
    for asset in (visible, private, draft, inherited):
        asset.related_calls.add(call)
        asset.save()
    assert [page.title for page in call.live_related_assets] == ["Public blueprint"]
    html = client.get(call.url).content.decode()
    assert "Public blueprint" in html
    assert (
        "Private checklist" not in html and "Draft canvas" not in html and "Staff guide" not in html
    )
