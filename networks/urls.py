"""URLs of the portal's domain."""

from django.urls import path

from networks.views import home, pages

urlpatterns = [
    path("", home.home, name="home"),
    path("accessibilita/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("note-legali/", pages.legal_notes, name="legal_notes"),
]
