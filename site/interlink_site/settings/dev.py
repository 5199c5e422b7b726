"""Local development and the demo node: debug on, e-mail to the console."""

from .base import *

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - dev settings only
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
