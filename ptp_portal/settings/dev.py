"""Local development: debug on, mail printed to the console, SQLite unless DATABASE_URL says otherwise."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: F403
