"""Brand colour checks as staff meet them in Wagtail's admin."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Site

from interlink_themes.models import ThemeSettings

pytestmark = pytest.mark.browser


def test_admin_refuses_low_contrast_colour_with_ratio(seeded_site, page):
    """Ensures that an editor who enters a pale primary colour sees it refused with the measured
    ratio, and that a readable colour is then saved and used on the public site."""
    get_user_model().objects.create_superuser("brand", "brand@example.org", "brand-pass-1")
    site = Site.objects.get(is_default_site=True)
    page.goto(seeded_site.url(reverse("wagtailadmin_login")))
    page.fill("input[name=username]", "brand")
    page.fill("input[name=password]", "brand-pass-1")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()

    edit_url = reverse("wagtailsettings:edit", args=["interlink_themes", "themesettings", site.pk])
    page.goto(seeded_site.url(edit_url))
    page.fill("input[name=primary_colour]", "#9ab8e0")
    with page.expect_navigation():
        page.locator("form:has(input[name=primary_colour]) button[type=submit]").first.click()
    body = page.locator("body").inner_text()
    assert "1.86:1" in body and "4.5:1" in body, body[:2000]
    assert not ThemeSettings.objects.filter(primary_colour="#9ab8e0").exists()

    page.fill("input[name=primary_colour]", "#5c2d91")
    with page.expect_navigation():
        page.locator("form:has(input[name=primary_colour]) button[type=submit]").first.click()
    assert ThemeSettings.for_site(site).primary_colour == "#5c2d91"
    page.goto(seeded_site.url(seeded_site.call.url))
    assert "--il-color-primary:#5c2d91" in page.content()
