"""Template context shared by every page: the region's identity and the user's roles."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from networks.roles import roles_of


def portal(request: HttpRequest) -> dict[str, Any]:
    """Return the portal identity and the roles of the current user."""
    return {
        "PORTAL_REGION_NAME": settings.PORTAL_REGION_NAME,
        "PORTAL_DIRECTORATE": settings.PORTAL_DIRECTORATE,
        "user_roles": roles_of(request.user),
    }
