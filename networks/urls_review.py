"""URLs of the review area: the officer's desk, the application page, its actions and downloads."""

from django.urls import path

from networks.views import review

urlpatterns = [
    path("", review.review_queue, name="review_queue"),
    path("<int:pk>/", review.review_detail, name="review_detail"),
    path("<int:pk>/azioni/<slug:action>/", review.review_action, name="review_action"),
    path("<int:pk>/note/", review.review_note_add, name="review_note_add"),
    path(
        "<int:pk>/documenti/<int:document_pk>/",
        review.review_document_download,
        name="review_document_download",
    ),
    path(
        "<int:pk>/decreti/<int:decree_pk>/pdf/",
        review.review_decree_download,
        name="review_decree_download",
    ),
    path(
        "<int:pk>/decreti/<int:decree_pk>/rigenera/",
        review.review_decree_retry,
        name="review_decree_retry",
    ),
    path(
        "<int:pk>/versioni/<int:number>/ricevuta/",
        review.review_receipt_download,
        name="review_receipt_download",
    ),
    path(
        "<int:pk>/versioni/<int:number>/differenze/",
        review.review_version_diff,
        name="review_version_diff",
    ),
]
