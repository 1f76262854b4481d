"""URLs of the public area: stable addresses, some printed on decrees and in open-data catalogues."""

from django.urls import path

from networks.views import public

urlpatterns = [
    path("verifica/", public.decree_verify_form, name="decree_verify_form"),
    path("verifica/<str:code>/", public.decree_verify, name="decree_verify"),
    path(
        "verifica/<str:code>/decreto.pdf",
        public.decree_download_public,
        name="decree_download_public",
    ),
    path("poli/", public.register_list, name="register_list"),
    path("poli/<int:pk>/", public.register_detail, name="register_detail"),
    path("open-data/", public.opendata_page, name="opendata"),
    path("open-data/poli.csv", public.opendata_csv, name="opendata_csv"),
    path("open-data/poli.json", public.opendata_json, name="opendata_json"),
    path("open-data/catalogo.jsonld", public.opendata_dcat, name="opendata_dcat"),
    path("statistiche/", public.statistics, name="statistics"),
    path("statistiche/dati.csv", public.statistics_csv, name="statistics_csv"),
    path("simulatore/", public.simulator, name="simulator"),
]
