"""The site's name in the header, footer and title, in the visitor's language (issue #20):
translated in the brand settings, else marked with the language it is written in, so a
screen reader does not read an English "City of Example" with Spanish rules."""

import re

import pytest
from django.test import Client
from wagtail.models import Locale, Site

from interlink_themes.models import ThemeSettings

NAME = "City of Example"  # tests/conftest.py's site, written in English (LANGUAGE_CODE)


@pytest.fixture
def spanish_home(home):
    spanish = Locale.objects.create(language_code="es")
    home.copy_for_translation(spanish).save_revision().publish()
    Locale.objects.get_or_create(language_code="lv")


def names(html: str) -> list[str]:
    """The site name's element in the header's brand link and in the footer."""
    brand = re.search(r'<a class="site-name"[^>]*>.*?(<span[^>]*>[^<]*</span>)</a>', html, re.S)
    footer = re.search(r"<footer.*?<p>(<span[^>]*>[^<]*</span>) · ", html, re.S)
    assert brand and footer, html[-2000:]
    return [brand.group(1), footer.group(1)]


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.mark.parametrize("path", ["/es/", "/es/discover/"])
def test_an_untranslated_name_is_marked_with_its_language(spanish_home, path):
    """Ensures that on a Spanish page (Wagtail's or another public view) the English site
    name is marked ``lang="en"``, and on an English page it is not marked."""
    html = Client().get(path).content.decode()
    assert names(html) == [f'<span lang="en">{NAME}</span>'] * 2
    english = Client().get(path.replace("/es/", "/")).content.decode()
    assert names(english) == [f"<span>{NAME}</span>"] * 2


def test_the_brand_settings_translate_the_name(spanish_home):
    """Ensures that a translation in the brand settings is shown, unmarked, in its language
    (header, footer and title), and the other languages keep the name as written."""
    brand = ThemeSettings.for_site(Site.objects.get(is_default_site=True))
    brand.site_name_translations = [
        ("translation", {"language": "es", "name": "Ciudad de Ejemplo"}),
    ]
    brand.save()
    html = Client().get("/es/").content.decode()
    assert names(html) == ["<span>Ciudad de Ejemplo</span>"] * 2
    assert title(html).endswith(" · Ciudad de Ejemplo")
    english = Client().get("/").content.decode()
    assert names(english) == [f"<span>{NAME}</span>"] * 2
    assert title(english).endswith(f" · {NAME}")
