"""Template context shared by every page: the region's identity, the user's roles, the menu."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from networks.constants import Role
from networks.roles import roles_of

# (URL name, label, roles that see it; empty = everyone)
NAVIGATION = (
    ("application_list", _("Le mie domande"), {Role.APPLICANT}),
    ("review_queue", _("Istruttoria"), {Role.OFFICER, Role.MANAGER}),
    ("register_list", _("Registro dei poli"), set()),
    ("statistics", _("Statistiche"), set()),
    ("simulator", _("Simulatore"), set()),
    ("opendata", _("Open data"), set()),
    ("decree_verify_form", _("Verifica un decreto"), set()),
)


def portal(request: HttpRequest) -> dict[str, Any]:
    """Return the portal identity, the user's roles and the menu items they may use."""
    # A request refused before ``AuthenticationMiddleware`` (a Host outside ALLOWED_HOSTS
    # answered with the 400 page) has no user: it is anonymous.
    roles = roles_of(getattr(request, "user", None) or AnonymousUser())
    items = []
    for name, label, allowed in NAVIGATION:
        if allowed and not {role.value for role in allowed} & roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(
            {"url": url, "label": label, "active": request.path.startswith(url) and url != "/"}
        )
    return {
        "PORTAL_REGION_NAME": settings.PORTAL_REGION_NAME,
        "PORTAL_DIRECTORATE": settings.PORTAL_DIRECTORATE,
        "PORTAL_CONTACT_EMAIL": settings.PORTAL_CONTACT_EMAIL,
        "user_roles": roles,
        "nav_items": items,
    }
