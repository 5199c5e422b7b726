#!/usr/bin/env python
"""Django's command-line utility for the Interlink node."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # Allow running from a checkout without installing the distribution.
    root = Path(__file__).resolve().parent
    sys.path[:0] = [str(root), str(root.parent)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlink_site.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
