"""WSGI entry point of the Interlink node."""

import logging
import os

from django.core import checks
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlink_site.settings.production")

application = get_wsgi_application()

# gunicorn runs no system checks: say at start-up what would fail silently later.
for message in checks.run_checks(tags=["interlink_mail"]):
    logging.getLogger("interlink_blocks.checks").warning("%s", message)
