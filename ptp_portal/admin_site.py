"""The portal's admin site: Django's, with "view on site" limited to what the user may see there.

Django's ``admin/r/<content_type_id>/<object_id>/`` redirects any staff
account to ``get_absolute_url()`` of any object of any model, whatever its
permissions. A decree's absolute URL is its verification page, so the catalogue
role could read the verification code, and through it the outcome, of every
decree by counting up its id, rejections included, which the portal publishes
nowhere. Here the shortcut answers only for a model registered in this site
that the user may view, and only for an object its admin's queryset holds
(an officer made staff still never reaches someone else's draft); anything
else is a 404, like an object that does not exist.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from networks.forms import AdminLoginForm


class PortalAdminSite(admin.AdminSite):
    # Checks the username's length before authenticating (``networks.forms.UsernameLengthMixin``).
    login_form = AdminLoginForm

    def get_urls(self) -> list[URLPattern | URLResolver]:
        checked = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [
            checked if getattr(pattern, "name", None) == "view_on_site" else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponse:
        """Redirect to the object's page on the site if its admin lets the user view it."""
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, OverflowError, ContentType.DoesNotExist):
            raise Http404 from None
        model_admin: Any = self._registry.get(model)  # type: ignore[arg-type]
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise Http404
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, str(obj.pk))
