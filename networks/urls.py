"""URLs of the portal's domain: one module per area, each owned by its views module."""

from django.urls import include, path

from networks.views import health, home, pages

urlpatterns = [
    path("", home.home, name="home"),
    path("salute/", health.health, name="health"),
    path("accessibilita/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("note-legali/", pages.legal_notes, name="legal_notes"),
    path("domande/", include("networks.urls_applicant")),
    path("istruttoria/", include("networks.urls_review")),
    path("", include("networks.urls_public")),
]
