"""Health check for load balancers and monitoring: the database answers, the media disk is writable."""

import os
import tempfile

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Return 200 with ``{"status": "ok"}`` when the database and the media storage work, else 503."""
    checks = {"database": "ok", "media": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure makes the instance unhealthy
        checks["database"] = "errore"
    try:
        os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
        # Write a little, not nothing: a full disk still accepts empty files.
        with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".health-") as probe:
            probe.write(b"\0" * 65536)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError:
        checks["media"] = "errore"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "errore", **checks}, status=200 if healthy else 503
    )
