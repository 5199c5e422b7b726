"""Interlink content: co-production calls, reusable service assets, stories and a block library.

This app is the core of Interlink and imports none of the other Interlink apps:
federation and search react to Wagtail's page signals instead.
"""
