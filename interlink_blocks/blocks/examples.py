"""Example values for the block picker's previews in the admin.

Blocks that show a chosen call, asset or image need one to preview; a new site has
none. These are unsaved, in-memory stand-ins: they render through the blocks' own
templates without anything in the database, and their links lead nowhere (``#``).
"""

import datetime
from urllib.parse import quote

from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html

from .schema import default_schema

# A landscape (sky, sun, hills) as an inline SVG, so the preview needs no image file.
EXAMPLE_IMAGE_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 960 540'>"
    "<rect width='960' height='540' fill='#dbe7f0'/>"
    "<circle cx='760' cy='140' r='70' fill='#f2c14e'/>"
    "<path d='M0 540 320 230l180 170 120-110 340 250z' fill='#4f7a8c'/></svg>"
)
EXAMPLE_IMAGE_SRC = "data:image/svg+xml," + quote(EXAMPLE_IMAGE_SVG)


def _nowhere(request=None, current_site=None):
    return "#"


def _example_page(model_label: str, **fields):
    from django.apps import apps

    page = apps.get_model(model_label)(live=True, **fields)
    # Not in the page tree, so it has no URL of its own: the preview links to "#".
    page.get_url = _nowhere
    return page


def example_call():
    """An open call in the Design phase with INTERLINK's default schema."""
    today = timezone.localdate()
    return _example_page(
        "interlink_blocks.CallPage",
        title="Plan the new riverside park together",
        summary="Residents, local businesses and city staff decide what the park should offer.",
        status="open",
        phase="design",
        opens_at=today - datetime.timedelta(days=14),
        deadline=today + datetime.timedelta(days=30),
        participant_types=["citizens", "businesses"],
        coproduction_schema=default_schema(),
    )


def example_asset():
    """A reusable service blueprint under CC BY 4.0."""
    return _example_page(
        "interlink_blocks.AssetPage",
        title="Home-care service blueprint",
        summary="How residents request and receive home care, tested in two districts.",
        form="service_blueprint",
        licence="CC-BY-4.0",
    )


class _ExampleRendition:
    """What ``{% image %}`` needs from a rendition: an ``<img>`` tag."""

    width, height = 960, 540

    def img_tag(self, extra_attrs=None):
        attrs = {"src": EXAMPLE_IMAGE_SRC, "width": self.width, "height": self.height}
        attrs.update(extra_attrs or {})
        return format_html("<img{}>", flatatt(attrs))


def example_image():
    """An unsaved Wagtail image, with alt text, whose renditions are the inline landscape."""
    from wagtail.images import get_image_model

    image = get_image_model()(title="Riverside park", width=960, height=540)
    image.contextual_alt_text = "A sketch of the riverside park: hills under a sunny sky"
    image.decorative = False
    image.get_rendition = lambda filter_spec: _ExampleRendition()
    return image
