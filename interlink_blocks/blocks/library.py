"""The Interlink block library, usable on any Wagtail page of a host site.

Templates style these blocks with CSS custom properties (design tokens) only, so they
take on the look of whatever site includes them.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.rich_text import expand_db_html

from .examples import example_asset, example_call

PREVIEW_TEMPLATE = "interlink_blocks/blocks/preview.html"


def page_summary(page) -> dict | None:
    """The API representation of a linked call or asset page (``None`` when unpublished)."""
    if page is None or not page.live:
        return None
    page = page.specific
    data = {"id": page.id, "title": page.title, "url": page.full_url, "type": page._meta.label}
    for field in ("summary", "status", "phase", "deadline", "form", "licence"):
        value = getattr(page, field, None)
        if value is not None:
            data[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


class CallTeaserBlock(blocks.StructBlock):
    """A teaser for a co-production call: title, summary, phase, deadline and a link."""

    call = blocks.PageChooserBlock(page_type="interlink_blocks.CallPage", label=_("Call"))
    heading = blocks.CharBlock(
        required=False,
        max_length=160,
        label=_("Heading"),
        help_text=_("Leave empty to use the call's title."),
    )

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        data["call"] = page_summary(value["call"])
        return data

    def get_preview_value(self):
        return self.normalize({"call": example_call(), "heading": ""})

    class Meta:
        icon = "group"
        template = "interlink_blocks/blocks/call_teaser.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Invite visitors to a co-production call.")


class AssetCardBlock(blocks.StructBlock):
    """A card for a reusable service asset: form, licence and a link."""

    asset = blocks.PageChooserBlock(page_type="interlink_blocks.AssetPage", label=_("Asset"))

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        data["asset"] = page_summary(value["asset"])
        return data

    def get_preview_value(self):
        return self.normalize({"asset": example_asset()})

    class Meta:
        icon = "doc-full"
        template = "interlink_blocks/blocks/asset_card.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Show a reusable service asset.")


class PhaseTimelineBlock(blocks.StructBlock):
    """The co-production timeline of a call, with its current phase marked."""

    call = blocks.PageChooserBlock(page_type="interlink_blocks.CallPage", label=_("Call"))

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        call = value["call"]
        data["call"] = page_summary(call)
        if call is not None and call.live:
            call = call.specific
            data["current_phase"] = call.phase
            data["schema"] = call.coproduction_schema.stream_block.get_api_representation(
                call.coproduction_schema, context
            )
        return data

    def get_preview_value(self):
        return self.normalize({"call": example_call()})

    class Meta:
        icon = "list-ol"
        template = "interlink_blocks/blocks/phase_timeline.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Show where a call is in its co-production phases.")


class ContactBlock(blocks.StructBlock):
    """Who to contact, and how."""

    name = blocks.CharBlock(max_length=120, label=_("Name"))
    role = blocks.CharBlock(required=False, max_length=120, label=_("Role or team"))
    email = blocks.EmailBlock(required=False, label=_("E-mail"))
    phone = blocks.CharBlock(required=False, max_length=40, label=_("Phone"))
    address = blocks.TextBlock(required=False, label=_("Address or opening hours"))

    def clean(self, value):
        result = super().clean(value)
        if not (result.get("email") or result.get("phone") or result.get("address")):
            raise ValidationError(
                _("Give at least one way to get in touch: e-mail, phone or address.")
            )
        return result

    class Meta:
        icon = "user"
        template = "interlink_blocks/blocks/contact.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "name": "Citizen participation office",
            "role": "City of Example",
            "email": "participation@example.org",
            "phone": "+34 976 000 000",
        }
        description = _("Contact details of a person or team.")


class QuestionBlock(blocks.StructBlock):
    """One question and its answer."""

    question = blocks.CharBlock(max_length=250, label=_("Question"))
    answer = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"], label=_("Answer")
    )

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        # HTML with internal links expanded, not Wagtail's stored <a linktype="page" id=…>.
        data["answer"] = expand_db_html(value["answer"].source)
        return data

    class Meta:
        icon = "help"


class FAQBlock(blocks.StructBlock):
    """Frequently asked questions, each answer folded under its question (no JavaScript needed)."""

    heading = blocks.CharBlock(
        required=False, max_length=160, default="Frequently asked questions", label=_("Heading")
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("Questions"))

    class Meta:
        # Without it Wagtail names the block after its field: "Faq".
        label = _("Frequently asked questions")
        icon = "help"
        template = "interlink_blocks/blocks/faq.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "heading": "Frequently asked questions",
            "questions": [
                {
                    "question": "Who can take part?",
                    "answer": "<p>Anyone who lives or works in the city.</p>",
                }
            ],
        }
        description = _("Questions and answers.")


class ResourceBlock(blocks.StructBlock):
    """A document or a link with a short description."""

    title = blocks.CharBlock(max_length=200, label=_("Title"))
    document = DocumentChooserBlock(required=False, label=_("Document"))
    url = blocks.URLBlock(required=False, label=_("Link"))
    description = blocks.TextBlock(required=False, label=_("Description"))

    def clean(self, value):
        result = super().clean(value)
        if bool(result.get("document")) == bool(result.get("url")):
            raise ValidationError(_("Choose either a document or a link."))
        return result

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        document = value.get("document")
        data["document"] = (
            {"id": document.id, "title": document.title, "url": document.url} if document else None
        )
        return data

    class Meta:
        icon = "doc-full-inverse"


class ResourceListBlock(blocks.StructBlock):
    """A list of documents and links."""

    heading = blocks.CharBlock(required=False, max_length=160, label=_("Heading"))
    resources = blocks.ListBlock(ResourceBlock(), min_num=1, label=_("Resources"))

    class Meta:
        icon = "list-ul"
        template = "interlink_blocks/blocks/resource_list.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "heading": "Read more",
            "resources": [
                {
                    "title": "INTERLINK co-production guide",
                    "url": "https://example.org/guide",
                    "description": "How to plan a co-production call, phase by phase.",
                }
            ],
        }
        description = _("Documents and links to download or read.")


class KeyFigureBlock(blocks.StructBlock):
    """One figure and what it counts."""

    value = blocks.CharBlock(max_length=20, label=_("Figure"))
    label = blocks.CharBlock(max_length=120, label=_("What it counts"))

    class Meta:
        icon = "order"


class KeyFiguresBlock(blocks.StructBlock):
    """A few key figures, such as participants or ideas received."""

    heading = blocks.CharBlock(required=False, max_length=160, label=_("Heading"))
    figures = blocks.ListBlock(KeyFigureBlock(), min_num=1, max_num=8, label=_("Figures"))

    class Meta:
        icon = "order"
        template = "interlink_blocks/blocks/key_figures.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "heading": "So far",
            "figures": [
                {"value": "412", "label": "residents took part"},
                {"value": "86", "label": "ideas received"},
            ],
        }
        description = _("Highlight a few numbers.")


class CallToActionBlock(blocks.StructBlock):
    """A short invitation with one link."""

    title = blocks.CharBlock(max_length=160, label=_("Title"))
    text = blocks.TextBlock(required=False, label=_("Text"))
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("Or an external link"))
    button_label = blocks.CharBlock(max_length=60, default="Take part", label=_("Link text"))

    def clean(self, value):
        result = super().clean(value)
        if bool(result.get("page")) == bool(result.get("url")):
            raise ValidationError(_("Choose either a page or an external link."))
        return result

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        page = value.get("page")
        data["href"] = page.full_url if page else value.get("url")
        return data

    class Meta:
        icon = "pick"
        template = "interlink_blocks/blocks/call_to_action.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "title": "Have your say",
            "text": "Tell us how the new service should work.",
            "url": "https://example.org/",
            "button_label": "Take part",
        }
        description = _("Invite visitors to act, with one clear link.")
