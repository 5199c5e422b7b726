"""Wagtail admin pieces: the moderation form, bulk actions, the dashboard panel, data views."""
