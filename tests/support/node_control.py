"""The control process of a test node: edits content the way an editor's publish does.

Started by ``tests/support/nodes.py`` as ``python -m tests.support.node_control`` with the
node's environment. It reads one JSON command per line on stdin and answers one JSON line
on stdout, prefixed with ``REPLY_PREFIX`` so that stray prints never parse as a reply.
Publishing goes through Wagtail's revision ``publish()``, which sends ``page_published``
exactly as the admin's "Publish" button does, in a separate process from the server and
the worker, so federation sees a real publish and delivers through the real queue.
"""

import datetime
import json
import os
import sys
import time
import traceback

REPLY_PREFIX = "@@node-control@@ "


def _setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.support.node_settings")
    django.setup()


def setup_site(site_name: str, slug: str, hostname: str, port: int, admin: str, password: str):
    """A fresh node: the default Site at its own address, with home and index pages."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Site

    from interlink_blocks.models import AssetIndexPage, CallIndexPage, MunicipalityHomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=MunicipalityHomePage(title=site_name, slug=slug))
    home.add_child(instance=CallIndexPage(title="Co-production calls", slug="calls"))
    home.add_child(instance=AssetIndexPage(title="Reusable assets", slug="assets"))
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    site.hostname, site.port, site.site_name, site.root_page = hostname, port, site_name, home
    site.save()
    if welcome.pk != home.pk and not welcome.get_children().exists():
        welcome.delete()
    get_user_model().objects.create_superuser(admin, f"{admin}@example.org", password)
    return {"home_id": home.pk, "site_id": site.pk}


def _index(model_name: str):
    from interlink_blocks import models

    return getattr(models, model_name).objects.get()


def _publish(page) -> float:
    page.save_revision().publish()
    return time.time()


def _dates(fields: dict) -> dict:
    for name in ("opens_at", "deadline"):
        if isinstance(fields.get(name), str):
            fields[name] = datetime.date.fromisoformat(fields[name])
    return fields


def create_call(**fields):
    from django.utils import timezone

    from interlink_blocks.models import CallPage

    today = timezone.localdate()
    values = {
        "summary": "Help us make asking for home care simple for older residents.",
        "status": "open",
        "phase": "design",
        "opens_at": today - datetime.timedelta(days=1),
        "deadline": today + datetime.timedelta(days=30),
        "participant_types": ["citizens", "non_profits"],
    }
    values.update(_dates(fields))
    page = _index("CallIndexPage").add_child(instance=CallPage(**values))
    published_at = _publish(page)
    return _describe(page, published_at)


def create_asset(**fields):
    from interlink_blocks.models import AssetPage

    values = {
        "summary": "A service blueprint of requesting and receiving home care.",
        "form": "service_blueprint",
        "licence": "CC-BY-4.0",
        "languages": ["en"],
    }
    values.update(fields)
    page = _index("AssetIndexPage").add_child(instance=AssetPage(**values))
    published_at = _publish(page)
    return _describe(page, published_at)


def update(page_id: int, **fields):
    from wagtail.models import Page

    page = Page.objects.get(pk=page_id).specific
    for name, value in _dates(fields).items():
        setattr(page, name, value)
    published_at = _publish(page)
    return _describe(page, published_at)


def unpublish(page_id: int):
    from wagtail.models import Page

    page = Page.objects.get(pk=page_id).specific
    page.unpublish()
    return {"unpublished_at": time.time()}


def delete(page_id: int):
    from wagtail.models import Page

    Page.objects.get(pk=page_id).specific.delete()
    return {"deleted_at": time.time()}


def run_python(code: str):
    """Runs test-supplied code in the node (assertions on its state); it sets ``result``."""
    namespace: dict = {}
    exec(code, namespace)
    return namespace.get("result")


def _describe(page, published_at: float) -> dict:
    return {
        "id": page.pk,
        "uuid": str(page.uuid),
        "title": page.title,
        "url": page.full_url,
        "published_at": published_at,
    }


COMMANDS = {
    "setup_site": setup_site,
    "create_call": create_call,
    "create_asset": create_asset,
    "update": update,
    "unpublish": unpublish,
    "delete": delete,
    "python": run_python,
}


def _reply(reply: dict) -> None:
    sys.stdout.write(REPLY_PREFIX + json.dumps(reply, default=str) + "\n")
    sys.stdout.flush()


def main() -> None:
    _setup_django()
    from django.db import close_old_connections

    _reply({"ok": True, "ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        close_old_connections()
        try:
            result = COMMANDS[command.pop("op")](**command)
            reply = {"ok": True, "result": result}
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails loudly
            reply = {"ok": False, "error": repr(error), "traceback": traceback.format_exc()}
        _reply(reply)


if __name__ == "__main__":
    main()
