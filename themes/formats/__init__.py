"""Date formats that differ from Django's defaults (``FORMAT_MODULE_PATH``); the rest fall back."""
