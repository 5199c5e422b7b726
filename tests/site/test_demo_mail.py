"""The demo shows itself: its mails readable in the browser, an address that can change, and
a banner printed once the server answers (scripts/demo.py)."""

import importlib.util
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_demo_script():
    spec = importlib.util.spec_from_file_location("demo_script", ROOT / "scripts" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_development_settings_keep_mails_for_the_browser():
    """Ensures that the development settings (make demo) store mails for django-mail-viewer
    in a cache alias that never expires, and that the site routes /dev/mail/ only with
    DEBUG on."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='interlink_site.settings.dev';"
        "django.setup(); from django.conf import settings as s; from django.urls import resolve;"
        "print(s.EMAIL_BACKEND, s.CACHES['mail']['TIMEOUT'], s.MAILVIEWER_CACHE,"
        " resolve('/dev/mail/').url_name)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "site", capture_output=True, text=True, check=True
    ).stdout.split()
    assert output == [
        "django_mail_viewer.backends.cache.EmailBackend",
        "None",
        "mail",
        "mail_viewer_list",
    ]


def test_banner_names_the_mails_the_admin_and_how_to_change_the_address():
    """Ensures that the banner gives the site, the admin and its login, the mail page and
    the variable that changes the address."""
    text = load_demo_script().banner("127.0.0.1:8765")
    assert "http://127.0.0.1:8765/admin/" in text and "demo / demo-interlink" in text
    assert "http://127.0.0.1:8765/dev/mail/" in text
    assert "INTERLINK_DEMO_ADDRESS=" in text


class _Answer(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "/somewhere/")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_banner_waits_until_the_server_answers():
    """Ensures that the demo waits for an answer from its own address before printing the
    banner, and gives up when the server process ends first."""
    script = load_demo_script()
    server = HTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        address = f"127.0.0.1:{server.server_address[1]}"
        assert script.wait_until_answering(address, running, seconds=10)
    finally:
        server.shutdown()
        running.kill()
        running.wait()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert not script.wait_until_answering(address, ended, seconds=10)


@pytest.mark.parametrize("variable", ["INTERLINK_DEMO_ADDRESS"])
def test_readme_says_how_to_change_the_address_and_where_the_mails_are(variable):
    """Ensures that the README names the address variable and the mail page."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{variable}=127.0.0.1:8080 make demo" in readme
    assert "/dev/mail/" in readme
