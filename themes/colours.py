"""Colour arithmetic for brand checks: WCAG 2.1 contrast ratios and derived accessible shades.

>>> round(contrast_ratio("#000000", "#ffffff"), 1)
21.0
>>> readable_text_on("#0b5394")
'#ffffff'
"""

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.1 SC 1.4.3: normal text needs 4.5:1; SC 1.4.11: focus indicators need 3:1.
TEXT_CONTRAST = 4.5
NON_TEXT_CONTRAST = 3.0
BLACK = "#000000"
WHITE = "#ffffff"


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``"#0b5394"`` → ``(11, 83, 148)``; raises ValueError for anything else."""
    if not HEX_COLOUR.match(colour or ""):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio between two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_on(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return max((WHITE, BLACK), key=lambda text: contrast_ratio(text, background))


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0–1) of the way towards ``other``."""
    a, b = parse_hex(colour), parse_hex(other)
    return to_hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))


def hover_shade(colour: str, background: str) -> str:
    """A visibly different shade of ``colour`` that keeps at least its contrast on ``background``.

    Links and buttons change on hover; moving away from the background (darker on light
    pages, lighter on dark ones) can only raise the contrast, so the hover state never
    becomes less readable than the resting one.
    """
    target = BLACK if relative_luminance(background) > 0.5 else WHITE
    return mix(colour, target, 0.25)


def focus_colours(background: str, brand: str) -> tuple[str, str]:
    """A two-tone focus indicator: (halo, ring) that stays visible on the page and on brand areas.

    The ring (next to the element) contrasts at least 3:1 with the page background; the halo
    contrasts at least 3:1 with the brand colour, so focus stays visible in a brand-coloured
    header too. The same idea as GOV.UK's yellow-and-black focus state.
    """
    ring = readable_text_on(background)
    for candidate in ("#ffbf47", "#ffdd00", "#9fe3ff", WHITE, BLACK):
        if contrast_ratio(candidate, brand) >= NON_TEXT_CONTRAST:
            return candidate, ring
    return readable_text_on(brand), ring
