"""Health check for load balancers and monitoring: the database answers, the media disk takes files,
the static files are collected.

Cheap enough to probe every few seconds: one ``SELECT 1``, an access check and
a ``statvfs`` of the media directory, a look-up in the static files' manifest
(in memory after the first); nothing is written.
"""

import os
import shutil

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

MEGABYTE = 1024 * 1024
# The stylesheet every page links: without it in the manifest every page is a 500.
STATIC_PROBE = "ptp/css/portal.css"


def media_check() -> str:
    """Return ``ok``, ``errore`` (missing or not writable) or ``spazio insufficiente``."""
    media = settings.MEDIA_ROOT
    try:
        os.makedirs(media, exist_ok=True)
        if not os.access(media, os.W_OK | os.X_OK):
            return "errore"
        free = shutil.disk_usage(media).free
    except OSError:
        return "errore"
    return "ok" if free >= settings.PORTAL_HEALTH_MIN_FREE_MB * MEGABYTE else "spazio insufficiente"


def static_check() -> str:
    """Return ``ok`` when the pages' stylesheet has a URL, ``errore`` when it has none.

    With the manifest storage of production a deployment that skipped
    ``collectstatic`` (or lost its manifest) makes ``{% static %}`` raise on
    every page, while the database and the disk are fine.
    """
    try:
        staticfiles_storage.url(STATIC_PROBE)
    except ValueError:
        return "errore"
    return "ok"


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Return 200 with ``{"status": "ok"}`` when the database, media and static files work, else 503."""
    checks = {"database": "ok", "media": media_check(), "static": static_check()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure makes the instance unhealthy
        checks["database"] = "errore"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "errore", **checks}, status=200 if healthy else 503
    )
