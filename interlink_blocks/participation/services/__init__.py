"""Participation's operations, shared by the public views, the admin and the API."""
