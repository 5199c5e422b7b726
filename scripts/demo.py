"""Set up and run a demo Interlink node: migrate, load demo content, start a worker and the server.

Run through ``make demo``. Everything lives under ``var/`` (SQLite database, media).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "site" / "manage.py")]
ADDRESS = os.environ.get("INTERLINK_DEMO_ADDRESS", "127.0.0.1:8000")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlink_site.settings.dev")
    (ROOT / "var").mkdir(exist_ok=True)
    subprocess.run([*MANAGE, "migrate", "--no-input", "-v", "0"], check=True, cwd=ROOT)
    subprocess.run([*MANAGE, "load_demo", "--base-url", f"http://{ADDRESS}"], check=True, cwd=ROOT)
    worker = subprocess.Popen([*MANAGE, "federation_worker", "--interval", "0.5"], cwd=ROOT)
    try:
        print(f"\nInterlink demo node: http://{ADDRESS}/")
        print(f"Admin: http://{ADDRESS}/admin/  (login: demo / demo-interlink)")
        print(
            f"Team member: http://{ADDRESS}/accounts/login/  "
            "(login: member@valmora.example / demo-member; the workspace is linked from "
            "“Redesign how residents request home care” and from “Your account”)"
        )
        print("Stop with Ctrl+C.\n", flush=True)
        server = subprocess.run([*MANAGE, "runserver", ADDRESS, "--noreload"], cwd=ROOT)
        return server.returncode
    except KeyboardInterrupt:
        return 0
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
