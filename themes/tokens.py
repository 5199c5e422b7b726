"""Design tokens for a request: the theme's defaults overridden by the site's brand colours.

Only colour tokens change per site; spacing, fonts and layout stay in the theme's stylesheet.
Derived shades (hover, focus) are computed here so staff never have to pick them.
"""

from .colours import focus_colours, hover_shade, readable_text_on
from .registry import Theme


def brand_tokens(theme: Theme, primary: str, accent: str) -> dict[str, str]:
    """CSS custom properties (without the leading ``--``) for the brand colours."""
    focus, focus_ring = focus_colours(theme.background, primary)
    return {
        "il-color-primary": primary,
        "il-color-primary-hover": hover_shade(primary, theme.background),
        "il-color-primary-contrast": readable_text_on(primary),
        "il-color-accent": accent,
        "il-color-accent-hover": hover_shade(accent, theme.background),
        "il-color-focus": focus,
        "il-color-focus-ring": focus_ring,
    }


def tokens_css(tokens: dict[str, str]) -> str:
    """``:root{--name:value;…}`` for an inline style element (values are validated colours)."""
    declarations = ";".join(f"--{name}:{value}" for name, value in tokens.items())
    return ":root{" + declarations + "}"
