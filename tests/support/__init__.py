"""Reusable test support: real Interlink nodes on loopback (``nodes``) and their fixtures."""
