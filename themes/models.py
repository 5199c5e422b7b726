"""Per-site theme and brand settings, edited in Wagtail's Settings menu."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Site

from .colours import TEXT_CONTRAST, contrast_ratio, readable_text_on
from .registry import DEFAULT_THEME, get_theme, theme_choices

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits, e.g. #0b5394.")
)


def language_choices() -> list[tuple[str, str]]:
    """The site's languages (``settings.LANGUAGES``), read when the form is built."""
    return [(code, name) for code, name in settings.LANGUAGES]


def default_language() -> str:
    """The language labels and addresses are written in unless a translation says otherwise."""
    return primary_language(settings.LANGUAGE_CODE)


def primary_language(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


class FooterLinkTranslationBlock(blocks.StructBlock):
    """A footer link's label (and, if it differs, address) in one more language."""

    language = blocks.ChoiceBlock(choices=language_choices, label=_("language"))
    label = blocks.CharBlock(label=_("label"), max_length=80)
    url = blocks.URLBlock(
        label=_("address in this language"),
        required=False,
        help_text=_(
            "Only for an address outside this site that differs by language. "
            "A link to a page goes to the page's translation by itself."
        ),
    )

    class Meta:
        icon = "globe"
        label = _("translation")


class FooterLinkBlock(blocks.StructBlock):
    """A footer link to a page of this site or to another address, with its translations.

    The label is in the site's default language; each translation gives the label for one
    more language. A page link leads to the page's translation in the visitor's language
    when there is one.
    """

    label = blocks.CharBlock(
        label=_("label"),
        max_length=80,
        help_text=_("In the site's default language; add translations below."),
    )
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or address"), required=False)
    translations = blocks.ListBlock(
        FooterLinkTranslationBlock(),
        default=[],
        label=_("translations"),
        collapsed=True,
    )

    class Meta:
        icon = "link"
        label = _("footer link")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or enter an address."))}
            )
        return value


class AddressTranslationBlock(blocks.StructBlock):
    """The contact address (or opening hours) written for one more language."""

    language = blocks.ChoiceBlock(choices=language_choices, label=_("language"))
    address = blocks.TextBlock(label=_("contact address"))

    class Meta:
        icon = "globe"
        label = _("translation")


class SiteNameTranslationBlock(blocks.StructBlock):
    """The site's name (Wagtail's "Site name") written for one more language."""

    language = blocks.ChoiceBlock(choices=language_choices, label=_("language"))
    name = blocks.CharBlock(label=_("site name"), max_length=255)

    class Meta:
        icon = "globe"
        label = _("translation")


@register_setting(icon="palette")
class ThemeSettings(BaseSiteSetting):
    """Which theme a site uses and its brand: logo, colours, footer links and contact."""

    # Wagtail's own field, but with a reverse name a host's site settings cannot share.
    site = models.OneToOneField(
        Site,
        unique=True,
        db_index=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="interlink_theme_settings",
    )
    theme = models.CharField(
        _("theme"), max_length=40, choices=theme_choices, default=DEFAULT_THEME
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown next to the site name, which stays as text for screen readers."),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        validators=[hex_colour],
        help_text=_("Header, links and buttons. Leave empty for the theme's colour."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        validators=[hex_colour],
        help_text=_("Highlights such as badges. Leave empty for the theme's colour."),
    )
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("favicon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The small icon browsers show in tabs and bookmarks: a square picture, at least "
            "64 × 64 pixels. Leave empty for Interlink's icon."
        ),
    )
    # The EU Web Accessibility Directive (2016/2102, art. 7) wants the statement linked from
    # every page; the GDPR (art. 13) wants the privacy notice at hand where data is collected.
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page, in the visitor's language."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page, in the visitor's language."),
    )
    footer_links = StreamField(
        [("link", FooterLinkBlock())],
        blank=True,
        verbose_name=_("more footer links"),
        help_text=_("Links beside the accessibility statement and the privacy notice."),
    )
    # The header, footer and title show the site's name on every page: in another language
    # it is either translated here or marked with the language it is written in.
    site_name_translations = StreamField(
        [("translation", SiteNameTranslationBlock())],
        blank=True,
        verbose_name=_("site name in other languages"),
        help_text=_(
            "The site's name is written in the site's default language (Settings → Sites)."
        ),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(
        _("contact address"),
        blank=True,
        help_text=_("In the site's default language; add translations below."),
    )
    contact_address_translations = StreamField(
        [("translation", AddressTranslationBlock())],
        blank=True,
        verbose_name=_("contact address in other languages"),
    )

    panels = [
        FieldPanel("theme"),
        MultiFieldPanel(
            [
                FieldPanel("site_name_translations"),
                FieldPanel("logo"),
                FieldPanel("favicon"),
                FieldPanel("primary_colour"),
                FieldPanel("accent_colour"),
            ],
            heading=_("Brand"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accessibility_page"),
                FieldPanel("privacy_page"),
                FieldPanel("footer_links"),
            ],
            heading=_("Footer"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
                FieldPanel("contact_address_translations"),
            ],
            heading=_("Contact"),
        ),
    ]

    class Meta:
        verbose_name = _("theme and brand")
        verbose_name_plural = _("themes and brands")

    @property
    def theme_object(self):
        return get_theme(self.theme)

    @property
    def primary(self) -> str:
        return self.primary_colour or self.theme_object.default_primary

    @property
    def accent(self) -> str:
        return self.accent_colour or self.theme_object.default_accent

    def clean(self):
        """Refuses brand colours that make text unreadable, showing the measured ratio."""
        super().clean()
        theme = self.theme_object
        errors = {}
        for field_name, label in (
            ("primary_colour", _("primary colour")),
            ("accent_colour", _("accent colour")),
        ):
            colour = getattr(self, field_name)
            if not colour or hex_colour.regex.match(colour) is None:
                continue
            # Text in this colour sits on the page and on tinted surfaces: check the worse.
            backgrounds = sorted(
                {theme.background, theme.surface}, key=lambda bg: contrast_ratio(colour, bg)
            )
            problem = contrast_problem(colour, backgrounds[0], label)
            if problem is None:
                # The colour is also a background (header, buttons) for black or white text.
                problem = contrast_problem(readable_text_on(colour), colour, label)
            if problem:
                errors[field_name] = problem
        if errors:
            raise ValidationError(errors)


def contrast_problem(text: str, background: str, label) -> ValidationError | None:
    """A ValidationError naming the measured ratio if ``text`` on ``background`` is under 4.5:1."""
    ratio = contrast_ratio(text, background)
    if ratio >= TEXT_CONTRAST:
        return None
    return ValidationError(
        _(
            "Text in %(text)s on %(background)s has a contrast ratio of %(ratio)s:1, below the "
            "%(required)s:1 that text needs. Choose a darker or lighter %(label)s."
        ),
        code="low_contrast",
        params={
            "label": label,
            "text": text,
            "background": background,
            # Rounded down, so a colour shown as 4.5:1 never measures 4.49; written the way
            # the editor's language writes decimals ("1,86:1" in Spanish).
            "ratio": number_format(math.floor(ratio * 100) / 100, 2),
            "required": number_format(TEXT_CONTRAST, 1),
        },
    )
