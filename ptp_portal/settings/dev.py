"""Local development: debug on, mail printed to the console, SQLite unless DATABASE_URL says otherwise."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: F403

# Unless a real seal is named, the demo's decrees carry a self-signed one, made on first use
# under var/ and worthless in law (decision 0007).
DEMO_DECREE_SEAL = BASE_DIR / "var" / "demo-seal.p12"  # noqa: F405
if not DECREE_SEAL_PKCS12:  # noqa: F405
    DECREE_SEAL_PKCS12 = str(DEMO_DECREE_SEAL)
    DECREE_SEAL_PASSWORD = "demo-ptp-2026"  # noqa: S105 (the demo's, printed in the README)
