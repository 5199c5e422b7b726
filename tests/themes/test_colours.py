"""Colour arithmetic behind the brand checks."""

import pytest

from interlink_themes.colours import (
    NON_TEXT_CONTRAST,
    contrast_ratio,
    focus_colours,
    hover_shade,
    readable_text_on,
)


def test_contrast_ratio_matches_wcag_reference_values():
    """Ensures that ratios match WCAG's published extremes and a known borderline grey."""
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # #767676 is the lightest grey that passes 4.5:1 on white; #777777 just fails.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < 4.5


@pytest.mark.parametrize("colour", ["#0b5394", "#8a3b00", "#2e7d32", "#6a1b9a", "#c62828"])
def test_hover_shade_never_loses_contrast(colour):
    """Ensures that a derived hover colour differs from the resting one and reads at least as well."""
    hover = hover_shade(colour, "#ffffff")
    assert hover != colour
    assert contrast_ratio(hover, "#ffffff") >= contrast_ratio(colour, "#ffffff")


@pytest.mark.parametrize("brand", ["#0b5394", "#000000", "#1b5e20", "#4a148c", "#b71c1c"])
def test_focus_colours_stand_out_on_page_and_brand(brand):
    """Ensures that the focus ring contrasts 3:1 with the page and its halo 3:1 with the brand colour."""
    halo, ring = focus_colours("#ffffff", brand)
    assert contrast_ratio(ring, "#ffffff") >= NON_TEXT_CONTRAST
    assert contrast_ratio(halo, brand) >= NON_TEXT_CONTRAST


def test_readable_text_picks_black_or_white():
    """Ensures that text on a brand background is whichever of black or white reads better."""
    assert readable_text_on("#0b5394") == "#ffffff"
    assert readable_text_on("#ffdd00") == "#000000"
