"""Interlink's admin screens in the editor's own language."""

import pytest
from django.urls import reverse
from wagtail.models import Site
from wagtail.users.models import UserProfile

EXPECTED = {
    "en": ("Theme and brand", "Primary colour"),
    "es": ("Tema e identidad visual", "Color principal"),
    "it": ("Tema e identità visiva", "Colore principale"),
    "lv": ("Motīvs un zīmols", "Pamatkrāsa"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_theme_settings_admin_speaks_the_editors_language(home, admin_user, client, language):
    """Ensures that an editor whose Wagtail preference is Spanish, Italian or Latvian sees
    Interlink's admin labels in that language."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = language
    profile.save()
    client.force_login(admin_user)
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["interlink_themes", "themesettings", site.pk])
    html = client.get(url).content.decode()
    title, field = EXPECTED[language]
    assert title in html
    assert field in html


def test_low_contrast_error_is_translated(home, admin_user, client):
    """Ensures that the contrast refusal, with its measured ratio, reads in the editor's language."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "es"
    profile.save()
    client.force_login(admin_user)
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["interlink_themes", "themesettings", site.pk])
    data = {
        "theme": "civic",
        "primary_colour": "#9ab8e0",
        "accent_colour": "",
        "footer_links-count": "0",
        "contact_address_translations-count": "0",
        "site_name_translations-count": "0",
    }
    html = client.post(url, data).content.decode()
    assert "relación de contraste de 1,86:1, por debajo del 4,5:1" in html
