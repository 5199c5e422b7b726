"""The shipped themes: each is a named set of templates plus design tokens.

A theme's templates live in ``themes/templates/interlink_themes/<name>/`` (at least ``base.html``);
its tokens are CSS custom properties (``--il-…``) in ``themes/static/interlink_themes/css/<name>.css``,
which the block library's stylesheet also reads. Brand settings (colours, logo) override
the colour tokens per site; see ``interlink_themes.tokens``.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    description: str
    stylesheet: str
    # The page background, the tinted surface (filters, footer, notices) and body text;
    # brand colours are used as text on both backgrounds and checked against each.
    background: str
    surface: str
    text: str
    # Where the logo sits: "inline" (beside the site name) or "above" (centred over the menu).
    logo_placement: str = "inline"
    default_primary: str = "#0b5394"
    default_accent: str = "#8a3b00"
    extra: dict = field(default_factory=dict)

    @property
    def base_template(self) -> str:
        return f"interlink_themes/{self.name}/base.html"


CIVIC = Theme(
    name="civic",
    label=_("Civic"),
    description=_("Calm blue header, cards and a two-column layout for longer pages."),
    stylesheet="interlink_themes/css/civic.css",
    background="#ffffff",
    surface="#f2f5f8",
    text="#1b1f24",
    logo_placement="inline",
)

CONTRAST = Theme(
    name="contrast",
    label=_("High contrast"),
    description=_(
        "Black on white, larger text, always-underlined links and a single column; "
        "for residents with low vision or reading on small screens."
    ),
    stylesheet="interlink_themes/css/contrast.css",
    background="#ffffff",
    surface="#ffffff",
    text="#000000",
    logo_placement="above",
    default_primary="#0b3d91",
    default_accent="#7a1f00",
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (CIVIC, CONTRAST)}
DEFAULT_THEME = CIVIC.name


def get_theme(name: str | None) -> Theme:
    """The theme called ``name``, or the default one if it is unknown (e.g. removed)."""
    return THEMES.get(name or DEFAULT_THEME, THEMES[DEFAULT_THEME])


def theme_choices() -> list[tuple[str, str]]:
    return [(theme.name, theme.label) for theme in THEMES.values()]
