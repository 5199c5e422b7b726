"""The programmatic service other apps use (e.g. fediverse replies), and the page section hook."""

import pytest
from django.core.exceptions import ValidationError

from interlink_blocks.participation.models import Contribution
from interlink_blocks.participation.services import contributions as contribution_service

pytestmark = pytest.mark.django_db


def test_remote_contributions_are_created_once(open_call):
    """Ensures that a contribution from a remote actor is created pending, keeps its remote
    ids, and that a redelivery returns the same contribution."""
    first = contribution_service.create_contribution(
        open_call,
        "Reply from the fediverse",
        kind="comment",
        source="fediverse",
        author_name="@ana@social.example",
        remote_actor_url="https://social.example/users/ana",
        remote_object_id="https://social.example/notes/1",
    )
    again = contribution_service.create_contribution(
        open_call, "Changed text", remote_object_id="https://social.example/notes/1"
    )
    assert first.pk == again.pk
    assert Contribution.objects.get().body == "Reply from the fediverse"
    assert first.state == "pending" and first.participant is None


def test_programmatic_creation_is_validated(open_call, approved):
    """Ensures that the service refuses replies to replies and overlong text."""
    parent = approved()
    reply = contribution_service.create_contribution(open_call, "Reply", parent=parent)
    with pytest.raises(ValidationError):
        contribution_service.create_contribution(open_call, "Nested", parent=reply)
    with pytest.raises(ValidationError):
        contribution_service.create_contribution(open_call, "x" * 10_000)


def test_the_call_page_renders_the_section_through_the_core_hook(client, open_call):
    """Ensures that the call page shows the participation section via the
    interlink_call_page_sections hook, with the form and its honeypot hidden."""
    html = client.get(open_call.url).content.decode()
    assert 'id="participation"' in html
    assert f'action="/participation/calls/{open_call.pk}/contribute/"' in html
    assert 'class="il-hp"' in html


def test_the_section_stylesheet_goes_to_the_head_not_the_body(client, open_call, make_asset):
    """Ensures that participation's stylesheet is linked once in the host's ``extra_css``
    block (the head), never inside the section in the body, and only on call pages (not
    on an asset page)."""
    html = client.get(open_call.url).content.decode()
    head, body = html.split("</head>", 1)
    link = '<link rel="stylesheet" href="/static/interlink_participation/participation.css">'
    assert head.count(link) == 1
    assert "participation.css" not in body
    asset_html = client.get(make_asset().url).content.decode()
    assert "participation.css" not in asset_html


def test_page_assets_tag_writes_each_file_once_by_kind(rf, open_call):
    """Ensures that ``page_assets`` writes the tags of the files the hooks name for the page,
    stylesheets and scripts apart, each file once, the paths quoted."""
    from django.template import Context, Template
    from wagtail import hooks

    def assets(request, page):
        return ["app/a.css", "app/b.js", "app/a.css", 'app/"q".js']

    with hooks.register_temporarily("interlink_page_assets", assets):
        context = Context({"page": open_call, "request": rf.get("/")})
        css = Template('{% load interlink_sections %}{% page_assets page "css" %}').render(context)
        js = Template('{% load interlink_sections %}{% page_assets page "js" %}').render(context)
    assert css.count("/static/app/a.css") == 1 and "b.js" not in css
    assert '<script src="/static/app/b.js" defer></script>' in js
    assert '"q"' not in js and "a.css" not in js  # a quote cannot end the attribute


def test_page_sections_tag_is_empty_without_hooks_and_escapes_plain_strings(rf, open_call):
    """Ensures that core's extension point renders nothing when no app registered a section,
    and escapes a section that is not marked safe."""
    from django.template import Context, Template
    from wagtail import hooks

    template = Template('{% load interlink_sections %}{% page_sections "nothing_here" page %}')
    assert template.render(Context({"page": open_call, "request": rf.get("/")})) == ""

    with hooks.register_temporarily(
        "interlink_test_page_sections", lambda request, page: "<b>not safe</b>"
    ):
        html = Template('{% load interlink_sections %}{% page_sections "test_page" page %}').render(
            Context({"page": open_call, "request": rf.get("/")})
        )
    assert html == "&lt;b&gt;not safe&lt;/b&gt;"
