"""No public page or export reveals contacts, officers' notes, proposals' text or unrecognised poli."""

import pytest
from django.urls import reverse

from tests.networks.public.conftest import (
    DRAFT_NAME,
    OFFICER_NOTE,
    REJECTED_NAME,
    SUBMITTED_NAME,
    WITHDRAWN_NAME,
)
from tests.networks.public.helpers import PLANTED_EMAIL, PLANTED_PHONE

pytestmark = pytest.mark.django_db

SECRETS = (
    PLANTED_EMAIL,
    PLANTED_PHONE,
    "referente@example.org",  # the contact of the application filed through the services
    "Referente Riservato",
    OFFICER_NOTE,
    "Motivazione interna riservata",  # the proposals' reasons
    "Valutato positivamente",  # the officer's assessments
    REJECTED_NAME,
    DRAFT_NAME,
    SUBMITTED_NAME,
    WITHDRAWN_NAME,
    "Polo Non Ancora Reso",
)


def public_urls(register) -> list[str]:
    decree = register.approved.decrees.get()
    urls = [
        reverse("register_list"),
        reverse("register_list") + "?q=polo",
        reverse("register_list") + "?q=riservato",
        reverse("opendata"),
        reverse("opendata_csv"),
        reverse("opendata_json"),
        reverse("opendata_dcat"),
        reverse("statistics"),
        reverse("simulator"),
        reverse("decree_verify_form"),
        reverse("decree_verify", args=[decree.verification_code]),
    ]
    urls += [
        reverse("statistics_csv") + f"?table={name}"
        for name in ("aree", "province", "membri", "stati", "tempi")
    ]
    urls += [
        reverse("register_detail", args=[polo.pk])
        for polo in [register.approved, *register.meccanica, *register.turismo]
    ]
    return urls


def test_no_public_page_or_export_reveals_private_data(client, register):
    for url in public_urls(register):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8")
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} in {url}"


def test_the_pdf_download_is_the_only_way_to_the_decree_file(client, register):
    decree = register.approved.decrees.get()
    response = client.get(reverse("decree_download_public", args=[decree.verification_code]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
