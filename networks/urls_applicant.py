"""URLs of the applicant's area (``/domande/``)."""

from django.urls import path

from networks.views import applicant as views

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("nuova/", views.application_new, name="application_new"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/modifica/<slug:step>/", views.application_edit, name="application_edit"),
    path("<int:pk>/verifica/", views.application_panel, name="application_panel"),
    path("<int:pk>/membri/aggiungi/", views.member_add, name="member_add"),
    path("<int:pk>/membri/<int:member_pk>/", views.member_update, name="member_update"),
    path("<int:pk>/membri/<int:member_pk>/rimuovi/", views.member_remove, name="member_remove"),
    path(
        "<int:pk>/organizzazioni/nuova/", views.organisation_register, name="organisation_register"
    ),
    path(
        "<int:pk>/organizzazioni/<int:organisation_pk>/offerta/",
        views.offering_add,
        name="offering_add",
    ),
    path(
        "<int:pk>/organizzazioni/<int:organisation_pk>/offerta/<int:offering_pk>/rimuovi/",
        views.offering_remove,
        name="offering_remove",
    ),
    path("<int:pk>/documenti/", views.document_upload, name="document_upload"),
    path(
        "<int:pk>/documenti/<int:document_pk>/", views.document_download, name="document_download"
    ),
    path(
        "<int:pk>/documenti/<int:document_pk>/rimuovi/",
        views.document_remove,
        name="document_remove",
    ),
    path(
        "<int:pk>/versioni/<int:number>/ricevuta/", views.receipt_download, name="receipt_download"
    ),
    path("<int:pk>/versioni/<int:number>/differenze/", views.version_diff, name="version_diff"),
    path(
        "<int:pk>/decreti/<int:decree_pk>/", views.decree_download, name="applicant_decree_download"
    ),
    path(
        "<int:pk>/richieste/<int:request_pk>/non-inviate/",
        views.unsent_edits,
        name="unsent_edits",
    ),
    path(
        "<int:pk>/richieste/<int:request_pk>/non-inviate/riprendi/",
        views.unsent_texts_restore,
        name="unsent_texts_restore",
    ),
    path("<int:pk>/esporta/", views.network_export, name="network_export"),
    path("<int:pk>/importa/", views.network_import, name="network_import"),
    path("<int:pk>/presenta/", views.application_submit, name="application_submit"),
    path("<int:pk>/ritira/", views.application_withdraw, name="application_withdraw"),
    path("<int:pk>/elimina/", views.application_delete, name="application_delete"),
    path("<int:pk>/osservazioni/", views.application_observations, name="application_observations"),
]
