#!/usr/bin/env python
"""Django's command-line utility for the Interlink node."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The demo project lives beside this file; Interlink itself is installed (`make install`
    # installs the checkout in editable mode, which maps federation/ to interlink_federation…).
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlink_site.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
