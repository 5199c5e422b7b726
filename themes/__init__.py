"""Themes: templates, design tokens and per-site brand settings for public pages."""
