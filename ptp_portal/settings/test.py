"""Test settings: only what makes the suite fast and hermetic, no behaviour of its own."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
if "DJANGO_MEDIA_ROOT" not in os.environ:
    # One directory per run, shared with the processes it starts (pytest-xdist's workers
    # inherit the variable), removed when the process that made it ends.
    _media_root = tempfile.mkdtemp(prefix="ptp-media-")
    os.environ["DJANGO_MEDIA_ROOT"] = _media_root
    atexit.register(shutil.rmtree, _media_root, ignore_errors=True)

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
