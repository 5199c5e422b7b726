"""Demo content for ``manage.py load_demo``: the fictional City of Valmora.

The content lives in plain data modules (``calls``, ``assets``, ``pages``); ``builder``
turns it into pages, documents and images, creating only what is missing so the
command can run any number of times.
"""
