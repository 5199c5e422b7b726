"""Per-site theme and brand settings: contrast checks and the admin form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Site

from interlink_themes.models import ThemeSettings


@pytest.fixture
def brand(home):
    return ThemeSettings.for_site(Site.objects.get(is_default_site=True))


def test_low_contrast_primary_colour_is_refused_with_measured_ratio(brand):
    """Ensures that a primary colour under 4.5:1 on the page is refused, naming the ratio."""
    brand.primary_colour = "#7fa7d9"
    with pytest.raises(ValidationError) as error:
        brand.full_clean()
    messages = error.value.message_dict["primary_colour"]
    assert any("2.27:1" in message and "4.5:1" in message for message in messages), messages


def test_low_contrast_accent_colour_is_refused(brand):
    """Ensures that the accent colour is checked too."""
    brand.accent_colour = "#ffbf47"
    with pytest.raises(ValidationError) as error:
        brand.full_clean()
    assert "accent_colour" in error.value.message_dict


def test_accessible_brand_colours_are_accepted(brand):
    """Ensures that dark enough colours (and empty ones, meaning the theme's) pass."""
    brand.primary_colour = "#004d40"
    brand.accent_colour = ""
    brand.full_clean()
    brand.save()
    assert ThemeSettings.objects.get(pk=brand.pk).primary == "#004d40"


def test_malformed_colour_gets_a_clear_error(brand):
    """Ensures that something that is not #rrggbb is refused with a format message, not a crash."""
    brand.primary_colour = "blue"
    with pytest.raises(ValidationError) as error:
        brand.full_clean()
    assert "six hexadecimal digits" in " ".join(error.value.message_dict["primary_colour"])


def test_admin_form_refuses_low_contrast_and_shows_ratio(home, admin_client):
    """Ensures that the Wagtail settings form shows the measured ratio and saves nothing."""
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["interlink_themes", "themesettings", site.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    data = {
        "theme": "civic",
        "primary_colour": "#7fa7d9",
        "accent_colour": "",
        "footer_links-count": "0",
        "contact_email": "",
        "contact_phone": "",
        "contact_address": "",
        "contact_address_translations-count": "0",
        "site_name_translations-count": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "2.27:1" in response.content.decode()
    assert not ThemeSettings.objects.filter(primary_colour="#7fa7d9").exists()

    data["primary_colour"] = "#123456"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert ThemeSettings.for_site(site).primary_colour == "#123456"


def test_colour_is_checked_against_tinted_surfaces_too(brand):
    """Ensures that a colour readable on white but not on the theme's tinted surface is refused,
    with the ratio measured on that surface."""
    from interlink_themes.colours import contrast_ratio

    brand.theme = "civic"
    brand.primary_colour = "#767676"  # 4.54:1 on white, under 4.5:1 on #f2f5f8
    assert contrast_ratio("#767676", "#ffffff") >= 4.5
    with pytest.raises(ValidationError) as error:
        brand.full_clean()
    assert "#f2f5f8" in " ".join(error.value.message_dict["primary_colour"])
    brand.theme = "contrast"  # its surfaces are white
    brand.full_clean()
