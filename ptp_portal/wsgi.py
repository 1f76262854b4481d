"""WSGI entry point (gunicorn ptp_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptp_portal.settings.prod")
application = get_wsgi_application()
