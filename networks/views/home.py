"""The home page: what each role does first, and the public entry points."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from networks.roles import roles_of


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Render the home page for the current user's roles (or the public one)."""
    return render(request, "networks/home.html", {"roles": roles_of(request.user)})
