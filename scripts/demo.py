"""Set up and run a demo Interlink node: migrate, load demo content, start a worker and the server.

Run through ``make demo``. Everything lives under ``var/`` (SQLite database, media).
``INTERLINK_DEMO_ADDRESS`` (default ``127.0.0.1:8000``) changes the address, e.g.
``INTERLINK_DEMO_ADDRESS=127.0.0.1:8080 make demo``. The banner (addresses, login, where
the mails are) prints once the server answers, not before.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "site" / "manage.py")]
ADDRESS = os.environ.get("INTERLINK_DEMO_ADDRESS", "127.0.0.1:8000")
STARTUP_SECONDS = 60


def banner(address: str) -> str:
    """What the person who ran ``make demo`` needs, printed once the server answers."""
    base = f"http://{address}"
    return (
        f"\nInterlink demo node: {base}/  (also in Spanish, Italian and Latvian: {base}/es/, "
        f"{base}/it/, {base}/lv/)\n"
        f"Admin: {base}/admin/  (login: demo / demo-interlink)\n"
        f"Team member: {base}/accounts/login/  (login: member@valmora.example / demo-member; "
        "the workspace is linked from “Redesign how residents request home care” and from "
        "“Your account”)\n"
        f"Mails the demo sends (confirmation links for every citizen action): {base}/dev/mail/\n"
        "Another address: INTERLINK_DEMO_ADDRESS=127.0.0.1:8080 make demo\n"
        "Stop with Ctrl+C.\n"
    )


def wait_until_answering(address: str, server: subprocess.Popen, seconds: float) -> bool:
    """True once ``address`` answers HTTP (any status); False if the server exits or the
    time runs out. The address is the demo's own, on this machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"http://{address}/", timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.25)
    return False


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlink_site.settings.dev")
    (ROOT / "var").mkdir(exist_ok=True)
    subprocess.run([*MANAGE, "migrate", "--no-input", "-v", "0"], check=True, cwd=ROOT)
    subprocess.run([*MANAGE, "load_demo", "--base-url", f"http://{ADDRESS}"], check=True, cwd=ROOT)
    worker = subprocess.Popen([*MANAGE, "federation_worker", "--interval", "0.5"], cwd=ROOT)
    server = subprocess.Popen([*MANAGE, "runserver", ADDRESS, "--noreload"], cwd=ROOT)
    try:
        if wait_until_answering(ADDRESS, server, STARTUP_SECONDS):
            print(banner(ADDRESS), flush=True)
        elif server.poll() is None:
            print(f"\nThe demo server did not answer at http://{ADDRESS}/ yet.", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (server, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
