"""A minimal host Wagtail project adopts Interlink exactly as README's "Adopting Interlink" says.

The host lives in a temporary directory: its own settings (Wagtail's apps plus the apps
README lists), its own ``base.html`` and its own page model that uses
``InterlinkStreamBlock``. It migrates, creates a call, and serves it from a real
``runserver`` subprocess on 127.0.0.1.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]

# What README's "Adopting Interlink" section tells a host site to add, read from the README
# itself so the test fails when the two drift apart.
README = (ROOT / "README.md").read_text()


def _readme_section() -> str:
    start = README.index("## Adopting Interlink")
    end = README.index("\n## ", start + 1)
    return README[start:end]


def _readme_code_blocks() -> list[str]:
    section = _readme_section()
    blocks = section.split("```python\n")[1:]
    return [block.split("```", 1)[0] for block in blocks]


SETTINGS = """
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "host-test-key"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "hostsite.urls"
WAGTAIL_SITE_NAME = "Host municipality"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "host.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
USE_TZ = True
# Server errors go to stderr, which the test shows when an assertion fails.
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}

# Wagtail's own project template, unchanged.
INSTALLED_APPS = [
    "hostpages",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- Interlink, as README's "Adopting Interlink" section says ---
"""

URLS_HEAD = """
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
"""

BASE_HTML = """{% load wagtailcore_tags %}<!DOCTYPE html>
<html lang="en"><head><title>{{ page.title }} | Host municipality</title>{% block extra_css %}{% endblock %}</head>
<body><header>HOST-SITE-HEADER</header><main>{% block content %}{% endblock %}</main></body></html>
"""

HOST_MODELS = """
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from interlink_blocks.blocks import InterlinkStreamBlock


class ArticlePage(Page):
    body = StreamField(InterlinkStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    template = "hostpages/article_page.html"
"""

ARTICLE_HTML = """{% extends "base.html" %}{% load wagtailcore_tags %}
{% block content %}<h1>{{ page.title }}</h1>{% include_block page.body %}{% endblock %}
"""

SETUP_SCRIPT = """
import datetime, json, django
django.setup()
from django.core.management import call_command
from django.utils import timezone

call_command("makemigrations", "hostpages", verbosity=0)
call_command("migrate", verbosity=0)

from wagtail.models import Page, Site
from hostpages.models import ArticlePage
from interlink_blocks.models import CallIndexPage, CallPage, Sector

root = Page.get_first_root_node()
home = root.add_child(instance=ArticlePage(title="Host home", slug="host-home"))
site = Site.objects.get(is_default_site=True)
site.root_page = home
site.save()
calls = home.add_child(instance=CallIndexPage(title="Calls", slug="calls"))
today = timezone.localdate()
call = calls.add_child(instance=CallPage(
    title="Plan the new riverside park together",
    summary="Residents decide what the riverside park should offer.",
    status="open", phase="engage", participant_types=["citizens"],
    opens_at=today - datetime.timedelta(days=1), deadline=today + datetime.timedelta(days=30),
))
call.sectors = list(Sector.objects.filter(slug="democracy-participation"))
call.save_revision().publish()
article = home.add_child(instance=ArticlePage(
    title="News", slug="news",
    body=[{"type": "call_teaser", "value": {"call": call.pk, "heading": ""}}],
))
article.save_revision().publish()
print(json.dumps({"call": call.url, "article": article.url}))
"""


def _write_host(root: Path) -> None:
    blocks = _readme_code_blocks()
    settings_addition = next(block for block in blocks if "INSTALLED_APPS" in block)
    urls_addition = next(block for block in blocks if "include(" in block)
    (root / "hostsite").mkdir()
    (root / "hostsite" / "__init__.py").write_text("")
    (root / "hostsite" / "settings.py").write_text(SETTINGS + settings_addition)
    # README's lines go into urlpatterns "before Wagtail's own include" (the last one shown).
    url_lines = textwrap.indent(urls_addition.strip(), "    ")
    (root / "hostsite" / "urls.py").write_text(URLS_HEAD + url_lines + "\n]\n")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text(BASE_HTML)
    app = root / "hostpages"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "models.py").write_text(HOST_MODELS)
    (app / "templates" / "hostpages").mkdir(parents=True)
    (app / "templates" / "hostpages" / "article_page.html").write_text(ARTICLE_HTML)
    (root / "setup_host.py").write_text(SETUP_SCRIPT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def _wait_for(port: int, path: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            _get(port, path)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the host site's server did not start")


def test_readme_lists_what_the_host_needs():
    """Ensures that README's adoption section names the apps, the URL include and migrate."""
    section = _readme_section()
    assert '"interlink_blocks"' in section
    assert 'include("interlink_blocks.urls")' in section
    assert "migrate" in section
    assert "InterlinkStreamBlock" in section


def test_minimal_host_wagtail_site_renders_a_call(tmp_path):
    """Ensures that a plain Wagtail project plus README's settings migrates and serves a call."""
    _write_host(tmp_path)
    # Only the host directory and the installed packages: not the Interlink project's own settings.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH")
    }
    env.update(DJANGO_SETTINGS_MODULE="hostsite.settings", PYTHONPATH=str(tmp_path))
    setup = subprocess.run(
        [sys.executable, "setup_host.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    urls = json.loads(setup.stdout.strip().splitlines()[-1])

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _check_host(port, urls)
    except AssertionError as error:
        server.terminate()
        log = server.communicate(timeout=10)[1]
        raise AssertionError(f"{error}\n--- host server log ---\n{log[-4000:]}") from error
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _check_host(port: int, urls: dict) -> None:
    """The host serves the call, a page using the block library, and both APIs."""
    _wait_for(port, "/", time.monotonic() + 30)
    status, html = _get(port, urls["call"])
    assert status == 200, html[-2000:]
    assert "HOST-SITE-HEADER" in html  # Interlink's page template extends the host's base.html
    assert "<h1>Plan the new riverside park together</h1>" in html
    assert 'aria-current="step"' in html  # the co-production timeline
    assert "Democracy and participation" in html  # taxonomies seeded by migrate

    status, html = _get(port, urls["article"])
    assert status == 200
    assert "il-call-teaser" in html and "Plan the new riverside park together" in html

    status, body = _get(port, "/api/v1/calls/?status=open")
    assert status == 200
    assert json.loads(body)["results"][0]["title"] == "Plan the new riverside park together"
    status, body = _get(port, "/api/v2/calls/")
    assert status == 200 and json.loads(body)["meta"]["total_count"] == 1
    status, body = _get(port, "/api/schema/")
    assert status == 200 and "/api/v1/calls/" in body
