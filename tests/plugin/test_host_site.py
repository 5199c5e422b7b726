"""A minimal host Wagtail project adopts Interlink exactly as README's "Adopting Interlink" says.

The host lives in a temporary directory: its own settings (Wagtail's apps plus the apps
README lists), its own ``base.html`` and its own page model that uses
``InterlinkStreamBlock``. It migrates once, creates a call, an asset and a story, and
serves them from a real ``runserver`` subprocess on 127.0.0.1 twice: with every app
README lists, and with a second settings module that leaves out the ones README marks
optional (participation and reuse), on the same database.

Migrating Wagtail and Interlink is most of the cost (about 20 s of CPU; a minute or more
on a busy machine), so it happens once for the module and the time limits are generous.
"""

import http.client
import json
import os
import re
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


def _readme_settings() -> str:
    return next(block for block in _readme_code_blocks() if "INSTALLED_APPS" in block)


def _readme_optional_apps() -> list[str]:
    """The apps README's settings mark ``# optional``."""
    return [
        re.search(r'"([\w.]+)"', line).group(1)
        for line in _readme_settings().splitlines()
        if "# optional" in line
    ]


# Generous limits: a loaded machine once needed more than two minutes to migrate.
SETUP_TIMEOUT = 900
SERVER_START_TIMEOUT = 180
REQUEST_TIMEOUT = 60


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

SETTINGS_CORE = """
# The same host with only the apps README requires: the ones it marks optional left out.
from .settings import *  # noqa: F403

OPTIONAL_APPS = {optional!r}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in OPTIONAL_APPS]  # noqa: F405
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
from interlink_blocks.models import (
    AssetIndexPage, AssetPage, CallIndexPage, CallPage, Sector, StoryIndexPage, StoryPage,
)

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
assets = home.add_child(instance=AssetIndexPage(title="Assets", slug="assets"))
asset = assets.add_child(instance=AssetPage(
    title="Park survey template", summary="Questions residents answered about the park.",
    form="survey_template", licence="CC-BY-4.0", languages=["en"],
))
asset.related_calls = [call]
asset.save_revision().publish()
stories = home.add_child(instance=StoryIndexPage(title="Stories", slug="stories"))
story = stories.add_child(instance=StoryPage(
    title="A park residents designed", summary="What the survey changed.",
))
story.produced_assets = [asset]
story.save_revision().publish()
print(json.dumps({
    "call": call.url, "article": article.url, "asset": asset.url, "story": story.url,
    "stories": stories.url,
}))
"""


def _write_host(root: Path) -> None:
    blocks = _readme_code_blocks()
    urls_addition = next(block for block in blocks if "include(" in block)
    (root / "hostsite").mkdir()
    (root / "hostsite" / "__init__.py").write_text("")
    (root / "hostsite" / "settings.py").write_text(SETTINGS + _readme_settings())
    (root / "hostsite" / "settings_core.py").write_text(
        SETTINGS_CORE.format(optional=_readme_optional_apps())
    )
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
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
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
    # What the second host leaves out; the core app itself is never optional.
    assert _readme_optional_apps() == ["interlink_blocks.participation", "interlink_blocks.reuse"]


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """The host project, migrated once with every app README lists, and its content's URLs."""
    root = tmp_path_factory.mktemp("host")
    _write_host(root)
    # Only the host directory and the installed packages: not the Interlink project's own settings.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH")
    }
    env.update(DJANGO_SETTINGS_MODULE="hostsite.settings", PYTHONPATH=str(root))
    setup = subprocess.run(
        [sys.executable, "setup_host.py"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=SETUP_TIMEOUT,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    return {"root": root, "env": env, "urls": json.loads(setup.stdout.strip().splitlines()[-1])}


def _serve_and_check(host: dict, settings_module: str, check) -> None:
    """Runs the host under ``settings_module`` (system checks included) and calls ``check``."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=host["root"],
        env={**host["env"], "DJANGO_SETTINGS_MODULE": settings_module},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, "/", time.monotonic() + SERVER_START_TIMEOUT)
        check(port, host["urls"])
    except (AssertionError, pytest.fail.Exception) as error:
        server.terminate()
        log = server.communicate(timeout=30)[1]
        raise AssertionError(f"{error}\n--- host server log ---\n{log[-4000:]}") from error
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_minimal_host_wagtail_site_renders_a_call(host):
    """Ensures that a plain Wagtail project plus README's settings migrates and serves a call."""
    _serve_and_check(host, "hostsite.settings", _check_host)


def test_host_without_the_optional_apps_serves_calls_and_apis(host):
    """Ensures that the host runs with only the apps README requires (participation and reuse
    left out): its checks pass, and it serves calls, assets, stories and both APIs."""
    _serve_and_check(host, "hostsite.settings_core", _check_core_host)


def _check_host(port: int, urls: dict) -> None:
    """The host serves the call, a page using the block library, and both APIs."""
    _check_content_and_apis(port, urls)
    # With participation installed, its routes and API are there too.
    status, body = _get(port, "/api/schema/")
    assert status == 200 and "/api/v1/calls/{call_id}/contributions/" in body
    status, _html = _get(port, "/participation/my-data/")
    assert status == 200


def _check_core_host(port: int, urls: dict) -> None:
    """The core host serves the same content; participation's routes and API do not exist."""
    _check_content_and_apis(port, urls)
    status, body = _get(port, "/api/schema/")
    assert status == 200 and "/contributions/" not in body
    status, _html = _get(port, "/participation/my-data/")
    assert status == 404


def _check_content_and_apis(port: int, urls: dict) -> None:
    status, html = _get(port, urls["call"])
    assert status == 200, html[-2000:]
    assert "HOST-SITE-HEADER" in html  # Interlink's page template extends the host's base.html
    assert "<h1>Plan the new riverside park together</h1>" in html
    assert 'aria-current="step"' in html  # the co-production timeline
    assert "Democracy and participation" in html  # taxonomies seeded by migrate

    status, html = _get(port, urls["article"])
    assert status == 200
    assert "il-call-teaser" in html and "Plan the new riverside park together" in html

    status, html = _get(port, urls["asset"])
    assert status == 200, html[-2000:]
    assert "<h1>Park survey template</h1>" in html
    assert "Plan the new riverside park together" in html  # its related call
    status, html = _get(port, urls["story"])
    assert status == 200 and "Park survey template" in html  # the asset it produced
    status, html = _get(port, urls["stories"])
    assert status == 200 and "A park residents designed" in html

    status, body = _get(port, "/api/v1/calls/?status=open")
    assert status == 200
    assert json.loads(body)["results"][0]["title"] == "Plan the new riverside park together"
    status, body = _get(port, "/api/v2/calls/")
    assert status == 200 and json.loads(body)["meta"]["total_count"] == 1
    status, body = _get(port, "/api/v1/assets/")
    assert status == 200 and json.loads(body)["results"][0]["title"] == "Park survey template"
    status, body = _get(port, "/api/schema/")
    assert status == 200 and "/api/v1/calls/" in body
