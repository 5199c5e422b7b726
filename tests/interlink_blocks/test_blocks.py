"""The block library: every block in InterlinkStreamBlock renders, previews and serialises."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.template import Context, Template
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from interlink_blocks.blocks import (
    HeadingBlock,
    InterlinkStreamBlock,
    ParagraphBlock,
    QuestionBlock,
)

EXPECTED_BLOCKS = {
    "heading",
    "paragraph",
    "image",
    "table",
    "call_teaser",
    "asset_card",
    "phase_timeline",
    "contact",
    "faq",
    "resources",
    "key_figures",
    "call_to_action",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def document(media):
    document = get_document_model()(title="Workshop guide")
    document.file.save("guide.md", ContentFile(b"# Guide\n"), save=True)
    return document


@pytest.fixture
def image(media):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#336699").save(buffer, format="PNG")
    image = get_image_model()(title="Workshop photo", file=ImageFile(buffer, name="photo.png"))
    image.save()
    return image


@pytest.fixture
def library_stream(make_call, make_asset, document, image, home):
    """One block of every type, in raw (stored) form, with the pages and files they point at."""
    call = make_call()
    asset = make_asset()
    raw = [
        ("heading", {"text": "How it works", "level": "h3"}),
        ("paragraph", "<p>Residents design the service with staff.</p>"),
        (
            "image",
            {
                "image": {
                    "image": image.pk,
                    "alt_text": "People around a table",
                    "decorative": False,
                },
                "caption": "Spring workshop",
            },
        ),
        (
            "table",
            {
                "caption": "Budget per district",
                "columns": [
                    {"type": "text", "heading": "District"},
                    {"type": "number", "heading": "Budget"},
                ],
                "rows": [{"values": ["Riva Est", "300000"]}],
            },
        ),
        ("call_teaser", {"call": call.pk, "heading": "Join the home-care redesign"}),
        ("asset_card", {"asset": asset.pk}),
        ("phase_timeline", {"call": call.pk}),
        (
            "contact",
            {
                "name": "Participation office",
                "role": "City",
                "email": "p@valmora.example",
                "phone": "+39 0555 1",
                "address": "",
            },
        ),
        (
            "faq",
            {
                "heading": "Questions",
                "questions": [{"question": "Who can take part?", "answer": "<p>Everyone.</p>"}],
            },
        ),
        (
            "resources",
            {
                "heading": "Downloads",
                "resources": [
                    {
                        "title": "Guide",
                        "document": document.pk,
                        "url": "",
                        "description": "For facilitators",
                    },
                    {
                        "title": "Website",
                        "document": None,
                        "url": "https://example.org/",
                        "description": "",
                    },
                ],
            },
        ),
        (
            "key_figures",
            {"heading": "So far", "figures": [{"value": "412", "label": "residents took part"}]},
        ),
        (
            "call_to_action",
            {
                "title": "Have your say",
                "text": "",
                "page": call.pk,
                "url": "",
                "button_label": "Take part",
            },
        ),
    ]
    stream_block = InterlinkStreamBlock()
    value = stream_block.to_python(
        [{"type": kind, "value": data, "id": str(i)} for i, (kind, data) in enumerate(raw)]
    )
    return {
        "block": stream_block,
        "value": value,
        "call": call,
        "asset": asset,
        "document": document,
        "image": image,
    }


EXPECTED_HTML = {
    "heading": '<h3 class="il-heading">How it works</h3>',
    "paragraph": "Residents design the service with staff.",
    "image": 'alt="People around a table"',
    "table": "<caption>Budget per district</caption>",
    "call_teaser": "Join the home-care redesign</a></h3>",
    "asset_card": "Home-care service blueprint</a></h3>",
    "phase_timeline": 'aria-current="step"',
    "contact": 'href="mailto:p@valmora.example"',
    "faq": "<summary>Who can take part?</summary>",
    "resources": "(MD)",
    "key_figures": "<dd>412</dd>",
    "call_to_action": 'class="il-button" href="/calls/',
}


def test_stream_block_offers_the_whole_library():
    """Ensures that InterlinkStreamBlock exports every block of the library."""
    assert set(InterlinkStreamBlock().child_blocks) == EXPECTED_BLOCKS


# What each block's preview in the block picker must show, on a site with no content at all.
EXPECTED_PREVIEW_HTML = {
    "heading": '<h2 class="il-heading">How the new service will work</h2>',
    "paragraph": "Residents, local businesses and city staff are invited",
    "image": 'alt="A sketch of the riverside park: hills under a sunny sky"',
    "table": "<caption>Budget per district</caption>",
    "call_teaser": '<a href="#">Plan the new riverside park together</a>',
    "asset_card": '<a href="#">Home-care service blueprint</a>',
    "phase_timeline": 'aria-current="step"',
    "contact": 'href="mailto:participation@example.org"',
    "faq": "<summary>Who can take part?</summary>",
    "resources": '<a href="https://example.org/guide">INTERLINK co-production guide</a>',
    "key_figures": "<dd>412</dd>",
    "call_to_action": 'class="il-button" href="https://example.org/"',
}


@pytest.mark.parametrize("name", sorted(EXPECTED_BLOCKS))
def test_block_follows_wagtail_conventions(db, name):
    """Ensures that each block has its own icon, template, description and a preview value."""
    block = InterlinkStreamBlock().child_blocks[name]
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert block.meta.template.startswith("interlink_blocks/blocks/")
    assert block.meta.preview_template == "interlink_blocks/blocks/preview.html"
    assert len(str(block.get_description())) > 10
    value = block.get_preview_value()
    assert value, name
    assert EXPECTED_PREVIEW_HTML[name] in block.render(value)


def test_every_block_renders_with_its_template(library_stream):
    """Ensures that each block renders through its own template with the content it was given."""
    for child in library_stream["value"]:
        html = child.render()
        assert EXPECTED_HTML[child.block_type] in html, (child.block_type, html)
    assert len(EXPECTED_HTML) == len(EXPECTED_BLOCKS)


def test_library_renders_on_any_page_with_include_block(library_stream):
    """Ensures that the whole stream renders with {% include_block %} and no heading above h4 or below h2."""
    html = Template("{% load wagtailcore_tags %}{% include_block stream %}").render(
        Context({"stream": library_stream["value"]})
    )
    levels = set(re.findall(r"<h([1-6])\b", html))
    assert levels and levels <= {"2", "3", "4"}


def test_api_representation_of_every_block(library_stream):
    """Ensures that every block serialises for the API, linked pages and files as useful objects."""
    data = library_stream["block"].get_api_representation(library_stream["value"])
    by_type = {item["type"]: item["value"] for item in data}
    assert set(by_type) == EXPECTED_BLOCKS
    call = library_stream["call"]
    assert by_type["call_teaser"]["call"]["title"] == call.title
    assert by_type["call_teaser"]["call"]["status"] == "open"
    assert by_type["asset_card"]["asset"]["licence"] == "CC-BY-4.0"
    assert by_type["phase_timeline"]["current_phase"] == "design"
    assert [p["value"]["phase"] for p in by_type["phase_timeline"]["schema"]][0] == "engage"
    assert by_type["image"]["image"]["alt"] == "People around a table"
    assert by_type["resources"]["resources"][0]["document"]["url"].endswith(".md")
    assert by_type["call_to_action"]["href"].endswith(call.url)
    assert by_type["heading"] == {"text": "How it works", "level": "h3"}


def test_blocks_pointing_at_an_unpublished_call_render_and_serialise_nothing(library_stream):
    """Ensures that teasers and timelines of an unpublished call disappear from pages and the API."""
    library_stream["call"].unpublish()
    stream = library_stream["block"].to_python(
        library_stream["block"].get_prep_value(library_stream["value"])
    )
    for child in stream:
        if child.block_type in ("call_teaser", "phase_timeline"):
            assert child.render().strip() == ""
    data = library_stream["block"].get_api_representation(stream)
    teaser = next(item for item in data if item["type"] == "call_teaser")
    assert teaser["value"]["call"] is None


def test_headings_are_limited_to_levels_two_to_four():
    """Ensures that heading blocks offer only h2–h4 and rich text offers no headings at all."""
    block = HeadingBlock()
    assert [value for value, _label in block.child_blocks["level"].field.choices if value] == [
        "h2",
        "h3",
        "h4",
    ]
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"text": "Title", "level": "h1"}))
    # A stored value that never went through the form still cannot produce another level.
    assert block.render(block.to_python({"text": "Title", "level": "h1"})).startswith("<h2")
    for features in (ParagraphBlock().features, QuestionBlock().child_blocks["answer"].features):
        assert not {"h1", "h2", "h3", "h4", "h5", "h6"} & set(features)


@pytest.mark.parametrize("name", sorted(EXPECTED_BLOCKS))
def test_block_preview_renders_in_the_admin(client, admin_user, name):
    """Ensures that the block picker's preview of each block shows its example content, styled by
    the library's CSS, on a new site without any calls, assets or images."""
    assert not Page.objects.filter(depth__gt=2).exists() and not get_image_model().objects.exists()
    client.force_login(admin_user)
    block = InterlinkStreamBlock().child_blocks[name]
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    html = response.content.decode()
    assert "interlink_blocks/css/blocks.css" in html
    assert f"block-{name}" in html
    assert EXPECTED_PREVIEW_HTML[name] in html, html[-3000:]


def test_table_needs_a_caption_and_column_headings():
    """Ensures that a table without caption or with an empty column heading is refused on
    publishing, and accepted while required checks are deferred (a draft)."""
    from wagtail.contrib.typed_table_block.blocks import TypedTableBlockValidationError

    from interlink_blocks.blocks import DataTableBlock

    block = DataTableBlock()

    def table(caption, headings):
        return block.to_python(
            {
                "caption": caption,
                "columns": [{"type": "text", "heading": heading} for heading in headings],
                "rows": [{"values": ["Centro", "180000"]}],
            }
        )

    assert block.clean(table("Budget per district", ["District", "Budget"])).caption
    for caption, headings, message in (
        ("", ["District", "Budget"], "Give the table a caption"),
        ("  ", ["District", "Budget"], "Give the table a caption"),
        ("Budget", ["District", ""], "Give every column a heading."),
    ):
        with pytest.raises(TypedTableBlockValidationError) as error:
            block.clean(table(caption, headings))
        assert message in str(error.value.as_json_data())
    block.defer_required_validation()
    assert block.clean(table("", ["District", ""])).caption == ""


def test_teasers_and_cards_of_pages_in_another_language_carry_lang(library_stream, make_asset):
    """Ensures that a call teaser and an asset card showing a Spanish page with no English
    translation on an English page mark its title and summary lang="es" (the teaser's own
    heading stays unmarked), that pages in the page's language are not marked, and that a
    timeline marks the objectives the Spanish editor wrote."""
    from django.utils import translation
    from wagtail.models import Locale

    spanish = Locale.objects.get_or_create(language_code="es")[0]
    block = library_stream["block"]
    copies = {}
    for name in ("call", "asset"):
        copy = library_stream[name].copy_for_translation(spanish, copy_parents=True).specific
        if name == "call":  # an objective the Spanish editor wrote, next to the defaults
            schema = list(copy.coproduction_schema.raw_data)
            schema[0]["value"]["objectives"].append(
                {"title": "Hablar con los vecinos", "description": "", "tasks": []}
            )
            copy.coproduction_schema = schema
        copy.save_revision().publish()
        copies[name] = copy
        library_stream[name].unpublish()  # else the card shows the English page instead
    english_asset = make_asset(slug="english-asset")
    raw = [
        {"type": "call_teaser", "value": {"call": copies["call"].pk, "heading": ""}},
        {"type": "call_teaser", "value": {"call": copies["call"].pk, "heading": "Join us"}},
        {"type": "asset_card", "value": {"asset": copies["asset"].pk}},
        {"type": "asset_card", "value": {"asset": english_asset.pk}},
        {"type": "phase_timeline", "value": {"call": copies["call"].pk}},
    ]
    with translation.override("en"):
        untitled, titled, card, english_card, timeline = (
            child.render() for child in block.to_python(raw)
        )
    assert re.search(r'<h3><a href="[^"]+" lang="es">', untitled)
    assert '<p lang="es">' in untitled
    assert re.search(r'<h3><a href="[^"]+">Join us</a>', titled) and '<p lang="es">' in titled
    assert re.search(r'<h3><a href="[^"]+" lang="es">', card) and '<p lang="es">' in card
    assert 'lang="' not in english_card
    # In a timeline, default texts are shown in the page's language, the editor's as written.
    assert '<li><span lang="es">Hablar con los vecinos</span>' in timeline
    assert "<li>Identify and engage stakeholders" in timeline


def test_default_plan_texts_render_in_the_active_language(monkeypatch):
    """Ensures that the phase block shows INTERLINK's default objectives in the active language
    and an editor's objective as written."""
    from django.utils import translation
    from django.utils.translation import trans_real

    from interlink_blocks.blocks import PhaseBlock

    catalogue = trans_real.translation("it")._catalog._catalogs[0]
    monkeypatch.setitem(catalogue, "Identify and engage stakeholders", "Coinvolgere i portatori")
    block = PhaseBlock()
    value = block.to_python(
        {
            "phase": "engage",
            "objectives": [
                {"title": "Identify and engage stakeholders", "description": "", "tasks": []},
                {"title": "Identify and engage schools", "description": "", "tasks": []},
            ],
        }
    )
    with translation.override("it"):
        html = block.render(value)
    assert "<li>Coinvolgere i portatori</li>" in html
    assert "<li>Identify and engage schools</li>" in html
