"""Thin views: ActivityPub documents (``ap``), the inbox (``inbox``), public catalogue pages (``public``)."""
