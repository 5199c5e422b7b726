"""Start-up checks (``interlink_blocks.checks``): mail to a local server nobody runs."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from interlink_blocks.checks import check_mail_server

ROOT = Path(__file__).resolve().parents[2]
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production_mail(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "localhost"
    settings.EMAIL_PORT = closed_port()
    return settings


def test_warns_when_mail_goes_to_a_local_server_that_does_not_answer(production_mail):
    """Ensures that production mail to localhost with nothing listening is a warning that
    names the address and the settings to set."""
    [warning] = check_mail_server()
    assert warning.id == "interlink.W001"
    assert f"localhost:{production_mail.EMAIL_PORT}" in warning.msg
    assert "EMAIL_HOST" in warning.hint


def test_quiet_when_a_local_server_answers(production_mail):
    """Ensures that a mail server listening on this machine satisfies the check."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        production_mail.EMAIL_HOST, production_mail.EMAIL_PORT = (
            "127.0.0.1",
            server.getsockname()[1],
        )
        assert check_mail_server() == []


def test_quiet_for_a_remote_relay_debug_or_another_backend(production_mail, monkeypatch):
    """Ensures that a configured relay elsewhere is not probed (no traffic leaves loopback),
    and that development and non-SMTP backends are not checked."""

    def no_connection(*args, **kwargs):
        raise AssertionError("the check connected")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    production_mail.EMAIL_HOST = "smtp.valmora.example"
    assert check_mail_server() == []
    production_mail.EMAIL_HOST = "localhost"
    production_mail.DEBUG = True
    assert check_mail_server() == []
    production_mail.DEBUG = False
    production_mail.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert check_mail_server() == []


def test_the_wsgi_application_warns_at_start_up(tmp_path):
    """Ensures that loading the WSGI application (what gunicorn does, without running system
    checks) logs the warning for production's default mail settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMAIL_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="interlink_site.settings.production",
        SECRET_KEY="start-up-check",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        EMAIL_PORT=str(closed_port()),
    )
    result = subprocess.run(
        [sys.executable, "-c", "import interlink_site.wsgi"],
        cwd=ROOT / "site",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "interlink.W001" in result.stderr
